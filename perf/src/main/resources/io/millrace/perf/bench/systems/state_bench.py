#!/usr/bin/env python3
"""Millrace bench peers of the shared-state scenarios in Python: multiprocessing.Value with its lock (kind=value,
struct-inc) and multiprocessing.Manager().dict() (kind=manager, map-get and map-put).

Started by the Java harness as
    python3 state_bench.py KIND SCENARIO SIZE WARMUP_MS REP_MS REPS ENTRIES
beside mp_bench.py (whose READY/GO/RESULT helpers it imports). struct-inc's SIZE is the number of processes
(1, or 2: this one and a forked one incrementing the same Value); the rate is the Value's growth, both processes'
increments. map-get/map-put: SIZE is the value size in bytes, ENTRIES the dict's entries (int keys), each
operation on a random key timed alone (perf_counter_ns, its own cost included).
"""
import multiprocessing as mp
import random
import sys
import time

from mp_bench import await_go, control, latency_result, watch_parent

CHECK_EVERY = 64


def inc(v):
    with v.get_lock():
        v.value += 1


def hammer(v, stop, go):
    watch_parent()
    go.wait()
    while not stop.value:
        for _ in range(CHECK_EVERY):
            inc(v)


def struct_inc(processes, warmup_ms, rep_ms, reps):
    ctx = mp.get_context("fork")
    v = ctx.Value("q", 0)
    stop = ctx.Value("b", 0)
    go = ctx.Event()
    workers = [ctx.Process(target=hammer, args=(v, stop, go), daemon=True) for _ in range(processes - 1)]
    for w in workers:
        w.start()
    control("READY")
    await_go()
    go.set()
    clock = time.perf_counter_ns
    for rep in range(reps + 1):
        start = clock()
        first = v.value
        deadline = start + (warmup_ms if rep == 0 else rep_ms) * 1_000_000
        while clock() < deadline:
            for _ in range(CHECK_EVERY):
                inc(v)
        if rep > 0:
            control("RESULT rep=%d msgs=%d nanos=%d" % (rep, v.value - first, clock() - start))
    stop.value = 1
    for w in workers:
        w.join(10)
        if w.exitcode != 0:
            raise RuntimeError("incrementer exited with %s" % w.exitcode)


def map_ops(scenario, size, entries, warmup_ms, rep_ms, reps):
    manager = mp.get_context("fork").Manager()
    try:
        d = manager.dict()
        value = bytes((i * 31 + 7) & 0xFF for i in range(size))
        batch = 100_000
        for lo in range(0, entries, batch):
            d.update({k: value for k in range(lo, min(entries, lo + batch))})
        control("READY")
        await_go()
        clock = time.perf_counter_ns
        rand = random.randrange
        put = scenario == "map-put"
        for rep in range(reps + 1):
            samples = []
            start = clock()
            deadline = start + (warmup_ms if rep == 0 else rep_ms) * 1_000_000
            while True:
                key = rand(entries)
                t = clock()
                if put:
                    d[key] = value
                else:
                    d[key]
                now = clock()
                samples.append(now - t)
                if now >= deadline:
                    break
            if rep > 0:
                latency_result(rep, samples, clock() - start)
    finally:
        manager.shutdown()


def main(argv):
    kind, scenario, size, warmup_ms, rep_ms, reps, entries = argv[1], argv[2], *map(int, argv[3:8])
    if kind == "value" and scenario == "struct-inc":
        struct_inc(size, warmup_ms, rep_ms, reps)
    elif kind == "manager" and scenario in ("map-get", "map-put"):
        map_ops(scenario, size, entries, warmup_ms, rep_ms, reps)
    else:
        raise ValueError("scenario %r is not played by kind %r" % (scenario, kind))


if __name__ == "__main__":
    try:
        main(sys.argv)
    except BaseException as e:  # report, then fail the trial
        control("ERROR %s: %s" % (type(e).__name__, str(e).replace("\n", " ")))
        raise
