#!/usr/bin/env python3
"""Millrace bench peers in Python: multiprocessing.Pipe (kind=pipe), multiprocessing.Queue (kind=queue),
multiprocessing.Pool (kind=pool) and concurrent.futures.ProcessPoolExecutor (kind=executor).

Started by the Java harness as
    python3 mp_bench.py KIND SCENARIO SIZE WARMUP_MS REP_MS REPS QUEUE_SLOTS
This process is the consumer (spsc, mpsc3, generator-stream), the pinger (pingpong) or the pool's parent
(task-dispatch, parallel-map, worker-start); it forks the producers, the ponger or the pool's workers with
multiprocessing, reports "@@bench READY", waits for "GO" on stdin, and reports one "@@bench RESULT" line per
repetition, exactly as the Java children do (see RoleContext and ControlLine). Messages carry the same 8-byte
little-endian header: producer << 48 | sequence, or -(rep + 1) to end a repetition; STOP ends a ping-pong.
Python's pipes and queues block (they cannot be polled while spinning), so readers block.

SIZE is the message size in bytes, except for parallel-map (the chunksize, 0 = the library's default) and
worker-start (0 = fork, 1 = spawn); task-dispatch ignores it.
"""
import math
import multiprocessing as mp
import os
import queue as queue_module
import struct
import sys
import threading
import time
from multiprocessing.connection import wait

PREFIX = "@@bench "
STOP = -(1 << 63)
SEQ_BITS = 48
SEQ_MASK = (1 << SEQ_BITS) - 1
CHECK_EVERY = 16
HEADER = struct.Struct("<q")


def control(line):
    print(PREFIX + line, flush=True)


def watch_parent():
    """A forked worker exits as soon as its parent (the consumer or pinger) is gone."""
    parent = os.getppid()

    def run():
        while True:
            time.sleep(0.2)
            if os.getppid() != parent:
                os._exit(70)

    threading.Thread(target=run, daemon=True).start()


def watch_stdin():
    """The harness keeps our stdin open for the whole trial: end of file means it went away. The thread reads the
    raw descriptor: a thread blocked in sys.stdin.read() holds the stream's lock, and a child forked meanwhile
    (a pool started after GO) deadlocks when multiprocessing closes its sys.stdin."""
    def run():
        while os.read(sys.stdin.fileno(), 1 << 16):
            pass
        os._exit(70)

    threading.Thread(target=run, daemon=True).start()


def payload(size):
    return bytearray((i * 31 + 7) & 0xFF for i in range(size))


def produce(send, producer, size, warmup_ms, rep_ms, reps, go):
    buf = payload(size)
    pack = HEADER.pack_into
    go.wait()
    seq = 0
    base = producer << SEQ_BITS
    for rep in range(reps + 1):
        deadline = time.perf_counter_ns() + (warmup_ms if rep == 0 else rep_ms) * 1_000_000
        while True:
            for _ in range(CHECK_EVERY):
                pack(buf, 0, base | seq)
                seq += 1
                send(buf)
            if time.perf_counter_ns() >= deadline:
                break
        pack(buf, 0, -(rep + 1))
        send(buf)


def elements(size, warmup_ms, rep_ms, reps):
    """generator-stream: the child's generator, yielding the same messages (and markers) as produce sends."""
    seq = 0
    for rep in range(reps + 1):
        deadline = time.perf_counter_ns() + (warmup_ms if rep == 0 else rep_ms) * 1_000_000
        while True:
            for _ in range(CHECK_EVERY):
                buf = payload_with(size, seq)
                seq += 1
                yield buf
            if time.perf_counter_ns() >= deadline:
                break
        yield payload_with(size, -(rep + 1))


_TEMPLATES = {}


def payload_with(size, header):
    """A new message of size bytes starting with header (a generator hands out a fresh object per element)."""
    template = _TEMPLATES.get(size)
    if template is None:
        template = _TEMPLATES[size] = bytes(payload(size))
    return HEADER.pack(header) + template[8:]


def generate(send, size, warmup_ms, rep_ms, reps, go):
    go.wait()
    for element in elements(size, warmup_ms, rep_ms, reps):
        send(element)


def pipe_producer(writer, reader, producer, size, warmup_ms, rep_ms, reps, go, generator=False):
    watch_parent()
    reader.close()  # so that our writes fail (instead of blocking) if the consumer dies
    if generator:
        generate(writer.send_bytes, size, warmup_ms, rep_ms, reps, go)
    else:
        produce(writer.send_bytes, producer, size, warmup_ms, rep_ms, reps, go)
    writer.close()


def queue_producer(q, producer, size, warmup_ms, rep_ms, reps, go, generator=False):
    watch_parent()
    if generator:
        generate(q.put, size, warmup_ms, rep_ms, reps, go)
    else:
        produce(lambda b: q.put(bytes(b)), producer, size, warmup_ms, rep_ms, reps, go)
    q.close()
    q.join_thread()


class Meter:
    """Same windows and checks as the Java StreamMeter."""

    def __init__(self, producers, reps):
        self.producers = producers
        self.reps = reps
        self.markers = [0] * (reps + 1)
        self.next = [0] * producers
        self.rep = 0
        self.count = 0
        self.start = None

    def on_header(self, h):
        if h >= 0:
            p = h >> SEQ_BITS
            if p >= self.producers or (h & SEQ_MASK) != self.next[p]:
                raise RuntimeError("stream corrupted: header=%#x" % h)
            self.next[p] += 1
            if self.start is None:
                self.start = time.perf_counter_ns()
            self.count += 1
            return
        r = -h - 1
        self.markers[r] += 1
        while self.rep <= self.reps and self.markers[self.rep] == self.producers:
            now = time.perf_counter_ns()
            if self.rep > 0:
                control("RESULT rep=%d msgs=%d nanos=%d" % (self.rep, self.count, now - self.start))
            self.count = 0
            self.start = now
            self.rep += 1

    def done(self):
        return self.rep > self.reps


def await_go():
    line = sys.stdin.readline().strip()
    if line != "GO":
        raise RuntimeError("expected GO on stdin, got %r" % line)
    watch_stdin()


def check_workers(workers):
    for w in workers:
        if w.exitcode not in (None, 0):
            raise RuntimeError("worker %s exited with %s" % (w.name, w.exitcode))


def stream(kind, producers, size, warmup_ms, rep_ms, reps, slots, generator=False):
    ctx = mp.get_context("fork")
    go = ctx.Event()
    workers = []
    unpack = HEADER.unpack_from
    if kind == "pipe":
        pipes = [ctx.Pipe(duplex=False) for _ in range(producers)]
        for i, (reader, writer) in enumerate(pipes):
            workers.append(ctx.Process(target=pipe_producer, name="producer-%d" % i, daemon=True,
                                       args=(writer, reader, i, size, warmup_ms, rep_ms, reps, go, generator)))
    else:
        q = ctx.Queue(maxsize=slots)
        for i in range(producers):
            workers.append(ctx.Process(target=queue_producer, name="producer-%d" % i, daemon=True,
                                       args=(q, i, size, warmup_ms, rep_ms, reps, go, generator)))
    for w in workers:
        w.start()
    meter = Meter(producers, reps)
    control("READY")
    await_go()
    go.set()
    if kind == "pipe":
        readers = [r for r, w in pipes]
        for r, w in pipes:
            w.close()
        if producers == 1:
            recv = readers[0].recv_bytes
            while not meter.done():
                meter.on_header(unpack(recv(), 0)[0])
        else:
            while not meter.done():
                if not readers:
                    raise EOFError("every producer closed its pipe before the last markers")
                for r in wait(readers):
                    try:
                        meter.on_header(unpack(r.recv_bytes(), 0)[0])
                    except EOFError:  # a producer that sent its last marker closes its pipe
                        readers.remove(r)
    else:
        while not meter.done():
            try:
                meter.on_header(unpack(q.get(timeout=1.0), 0)[0])
            except queue_module.Empty:
                check_workers(workers)
    for w in workers:
        w.join(timeout=30)
    check_workers(workers)


def pong_pipe(conn, other):
    watch_parent()
    other.close()
    while True:
        b = conn.recv_bytes()
        conn.send_bytes(b)
        if HEADER.unpack_from(b, 0)[0] == STOP:
            return


def pong_queue(ping_q, pong_q):
    watch_parent()
    while True:
        b = ping_q.get()
        pong_q.put(b)
        if HEADER.unpack_from(b, 0)[0] == STOP:
            pong_q.close()
            pong_q.join_thread()
            return


def percentile(sorted_values, p):
    n = len(sorted_values)
    return sorted_values[max(0, min(n - 1, math.ceil(p / 100.0 * n) - 1))]


def latency_result(rep, samples, nanos):
    """Reports one repetition of timed samples (sorted here): their count, the window and their percentiles."""
    samples.sort()
    control("RESULT rep=%d msgs=%d nanos=%d p50=%d p99=%d p999=%d" % (
        rep, len(samples), nanos, percentile(samples, 50), percentile(samples, 99), percentile(samples, 99.9)))


def pingpong(kind, size, warmup_ms, rep_ms, reps):
    ctx = mp.get_context("fork")
    buf = payload(size)
    if kind == "pipe":
        mine, theirs = ctx.Pipe(duplex=True)
        worker = ctx.Process(target=pong_pipe, name="ponger", daemon=True, args=(theirs, mine))
        worker.start()
        theirs.close()

        def exchange(header):
            HEADER.pack_into(buf, 0, header)
            mine.send_bytes(buf)
            mine.recv_bytes()
    else:
        ping_q, pong_q = ctx.Queue(), ctx.Queue()
        worker = ctx.Process(target=pong_queue, name="ponger", daemon=True, args=(ping_q, pong_q))
        worker.start()

        def exchange(header):
            HEADER.pack_into(buf, 0, header)
            ping_q.put(bytes(buf))
            pong_q.get()
    exchange(0)  # the ponger is up
    control("READY")
    await_go()
    round_trips(exchange, 1, warmup_ms, rep_ms, reps)
    exchange(STOP)
    worker.join(timeout=30)
    check_workers([worker])


def round_trips(exchange, seq, warmup_ms, rep_ms, reps):
    """Time-bound repetitions of exchange(seq), seq counting up; one RESULT with percentiles per reported rep."""
    clock = time.perf_counter_ns
    for rep in range(reps + 1):
        samples = []
        start = clock()
        deadline = start + (warmup_ms if rep == 0 else rep_ms) * 1_000_000
        before = start
        while True:
            exchange(seq)
            seq += 1
            after = clock()
            samples.append(after - before)
            before = after
            if after >= deadline:
                break
        if rep > 0:
            latency_result(rep, samples, after - start)


# ---- process pools (kind=pool: multiprocessing.Pool; kind=executor: concurrent.futures.ProcessPoolExecutor) ----

POOL_WORKERS = 2
MAP_ITEMS = 1_000_000
MAP_SLICE = 10_000


def noop(x):
    return x


def inc(x):
    return x + 1


def new_pool(kind, workers, start_method="fork"):
    ctx = mp.get_context(start_method)
    if kind == "pool":
        return ctx.Pool(workers)
    from concurrent.futures import ProcessPoolExecutor
    return ProcessPoolExecutor(workers, mp_context=ctx)


def close_pool(kind, pool):
    if kind == "pool":
        pool.close()
        pool.join()
    else:
        pool.shutdown(wait=True)


def call(kind, pool, x):
    """One task and its result: Pool.apply, or ProcessPoolExecutor.submit(...).result()."""
    return pool.apply(noop, (x,)) if kind == "pool" else pool.submit(noop, x).result()


def pool_map(kind, pool, items, chunksize):
    """Pool.map / ProcessPoolExecutor.map as a list; chunksize 0 leaves the library's default."""
    if kind == "pool":
        return pool.map(inc, items) if chunksize == 0 else pool.map(inc, items, chunksize)
    return list(pool.map(inc, items) if chunksize == 0 else pool.map(inc, items, chunksize=chunksize))


def task_dispatch(kind, warmup_ms, rep_ms, reps):
    pool = new_pool(kind, POOL_WORKERS)
    for i in range(100):  # every worker is up and has run tasks
        call(kind, pool, i)
    control("READY")
    await_go()

    def exchange(seq):
        if call(kind, pool, seq) != seq:
            raise RuntimeError("task %d returned another result" % seq)

    round_trips(exchange, 0, warmup_ms, rep_ms, reps)
    close_pool(kind, pool)


def parallel_map(kind, chunksize, warmup_ms, rep_ms, reps):
    """Time-bound repetitions of maps: over all 1,000,000 ints with the default chunksize (the library computes it
    from the length), over 10,000-int slices of them otherwise (a slice is long enough to amortise the map call)."""
    pool = new_pool(kind, POOL_WORKERS)
    pool_map(kind, pool, range(1000), 1)  # the workers are up
    block = MAP_ITEMS if chunksize == 0 else MAP_SLICE
    control("READY")
    await_go()
    clock = time.perf_counter_ns
    offset = 0
    for rep in range(reps + 1):
        start = clock()
        deadline = start + (warmup_ms if rep == 0 else rep_ms) * 1_000_000
        items = 0
        while True:
            lo = offset % MAP_ITEMS
            results = pool_map(kind, pool, range(lo, lo + block), chunksize)
            if len(results) != block or results[0] != lo + 1 or results[-1] != lo + block:
                raise RuntimeError("map over %d..%d returned wrong results" % (lo, lo + block))
            offset += block
            items += block
            now = clock()
            if now >= deadline:
                break
        if rep > 0:
            control("RESULT rep=%d msgs=%d nanos=%d" % (rep, items, now - start))
    close_pool(kind, pool)


def worker_start(kind, start_method, warmup_ms, rep_ms, reps):
    """Cold starts: a new pool of one worker, to its first task's result; the pool's shutdown is not timed."""
    def cold_start(seq):
        t = time.perf_counter_ns()
        pool = new_pool(kind, 1, start_method)
        if call(kind, pool, seq) != seq:
            raise RuntimeError("the first task returned another result")
        elapsed = time.perf_counter_ns() - t
        close_pool(kind, pool)
        return elapsed

    cold_start(0)  # the start method's own machinery (a spawn's interpreter files) is warm
    control("READY")
    await_go()
    clock = time.perf_counter_ns
    seq = 1
    for rep in range(reps + 1):
        samples = []
        start = clock()
        deadline = start + (warmup_ms if rep == 0 else rep_ms) * 1_000_000
        while True:
            samples.append(cold_start(seq))
            seq += 1
            if clock() >= deadline:
                break
        if rep > 0:
            latency_result(rep, samples, clock() - start)


def main(argv):
    kind, scenario, size, warmup_ms, rep_ms, reps, slots = argv[1], argv[2], *map(int, argv[3:8])
    if kind in ("pool", "executor"):
        if scenario == "task-dispatch":
            task_dispatch(kind, warmup_ms, rep_ms, reps)
        elif scenario == "parallel-map":
            parallel_map(kind, size, warmup_ms, rep_ms, reps)
        elif scenario == "worker-start":
            worker_start(kind, {0: "fork", 1: "spawn"}[size], warmup_ms, rep_ms, reps)
        else:
            raise ValueError("scenario %r is not played by kind %r" % (scenario, kind))
        return
    if kind not in ("pipe", "queue"):
        raise ValueError("kind must be pipe, queue, pool or executor: %r" % kind)
    if scenario == "pingpong":
        pingpong(kind, size, warmup_ms, rep_ms, reps)
    elif scenario in ("spsc", "mpsc3"):
        stream(kind, 3 if scenario == "mpsc3" else 1, size, warmup_ms, rep_ms, reps, slots)
    elif scenario == "generator-stream":
        stream(kind, 1, size, warmup_ms, rep_ms, reps, slots, generator=True)
    else:
        raise ValueError("unknown scenario %r" % scenario)


if __name__ == "__main__":
    try:
        main(sys.argv)
    except BaseException as e:  # report, then fail the trial
        control("ERROR %s: %s" % (type(e).__name__, str(e).replace("\n", " ")))
        raise
