package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.ChildCommand;
import io.millrace.perf.bench.RepResult;
import io.millrace.perf.bench.Role;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.Stage;
import io.millrace.perf.bench.TrialSpec;
import org.HdrHistogram.Histogram;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The loops of the shared-state scenarios (struct-inc, map-get, map-put, tx-commit) for the Java systems. A
 * two-process variant runs driver 0 (creates the state, measures, raises the stop flag at the end) and driver 1
 * (attaches, works on the same state until the flag, or a deadline well past the trial's length); a rate is the
 * growth of a shared count over a repetition, so it holds both processes' operations. Map operations are each timed
 * alone (two {@code nanoTime} calls included) into a histogram; ops/s is their count over the window. Each map
 * operation makes its key from the key's index ({@link #key}, or a boxed {@code long}) as a caller computes a key:
 * a table of made keys would add two dependent cache misses per operation (the table's line, the key object's) that
 * are the harness's, not the map's (perf/EXPERIMENTS.md, "Where a map get's time goes").
 */
public final class StateLoop {

    private static final int CHECK_EVERY = 64;
    private static final VarHandle BIG_ENDIAN_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.BIG_ENDIAN);
    /** Spare time driver 1 gives driver 0 to raise the stop flag before it stops on its own. */
    private static final long GRACE_NANOS = 30_000_000_000L;

    private StateLoop() {
    }

    /**
     * @param scenario the trial's scenario
     * @param size     its size column
     * @return true for the two-process variant of struct-inc and tx-commit
     */
    public static boolean twoProcesses(Scenario scenario, int size) {
        return (scenario == Scenario.STRUCT_INC || scenario == Scenario.TX_COMMIT) && size == Scenario.TWO_PROCESSES;
    }

    /**
     * @param system the system whose children run the drivers
     * @param trial  the trial
     * @return driver 0 alone, or driver 0 then (once it reports READY, its state created) driver 1
     */
    public static List<Stage> stages(BenchSystem system, TrialSpec trial) {
        Stage first = new Stage(List.of(new Stage.Launch(Role.DRIVER, 0,
                ChildCommand.java(system, Role.DRIVER, 0, trial))), false);
        if (!twoProcesses(trial.scenario(), trial.size())) {
            return List.of(first);
        }
        return List.of(first, new Stage(List.of(new Stage.Launch(Role.DRIVER, 1,
                ChildCommand.java(system, Role.DRIVER, 1, trial))), false));
    }

    /**
     * Writes key {@code index} of the map scenarios (8 bytes, big-endian) into {@code into}, without allocating.
     *
     * @param into  an 8-byte array, reused from operation to operation
     * @param index the key's index
     * @return {@code into}
     */
    public static byte[] key(byte[] into, int index) {
        BIG_ENDIAN_LONG.set(into, 0, (long) index);
        return into;
    }

    /**
     * @param size the value's length
     * @return a value of {@code size} bytes
     */
    public static byte[] value(int size) {
        byte[] v = new byte[size];
        for (int i = 0; i < size; i++) {
            v[i] = (byte) (i * 31 + 7);
        }
        return v;
    }

    /**
     * Driver 0 measures {@code op}'s rate as the growth of {@code count}, then runs {@code stop}; driver 1 runs
     * {@code op} until {@code stopped}. Both report READY and wait for GO first.
     *
     * @param ctx     the child's context (index 0 or 1)
     * @param op      one operation
     * @param count   the shared count that grows by one per operation of either process
     * @param stop    raises the stop flag of driver 1
     * @param stopped reads it
     * @throws Exception when the harness's GO does not come or the operation fails
     */
    public static void rate(RoleContext ctx, Runnable op, LongSupplier count, Runnable stop, BooleanSupplier stopped)
            throws Exception {
        ctx.ready();
        ctx.awaitGo();
        if (ctx.index() > 0) {
            long deadline = System.nanoTime() + GRACE_NANOS
                    + (ctx.warmupMs() + (long) ctx.reps() * ctx.repMs()) * 1_000_000L;
            while (!stopped.getAsBoolean() && System.nanoTime() - deadline < 0) {
                for (int i = 0; i < CHECK_EVERY; i++) {
                    op.run();
                }
            }
            return;
        }
        try {
            for (int rep = 0; rep <= ctx.reps(); rep++) {
                long start = System.nanoTime();
                long first = count.getAsLong();
                long deadline = start + (rep == 0 ? ctx.warmupMs() : ctx.repMs()) * 1_000_000L;
                do {
                    for (int i = 0; i < CHECK_EVERY; i++) {
                        op.run();
                    }
                } while (System.nanoTime() - deadline < 0);
                if (rep > 0) {
                    ctx.result(RepResult.throughput(rep, count.getAsLong() - first, System.nanoTime() - start));
                }
            }
        } finally {
            stop.run();
        }
    }

    /** One map operation on the key of index {@code key} (0..entries-1). */
    @FunctionalInterface
    public interface KeyOp {
        void run(int key);
    }

    /**
     * Times {@code op} on random keys of {@code entries}, each alone; one RESULT with p50/p99/p99.9 per rep.
     *
     * @param ctx     the child's context
     * @param entries keys are 0..entries-1
     * @param op      the operation on one key
     * @throws Exception when the harness's GO does not come or the operation fails
     */
    public static void latency(RoleContext ctx, int entries, KeyOp op) throws Exception {
        ctx.ready();
        ctx.awaitGo();
        Histogram histogram = new Histogram(60_000_000_000L, 3);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int rep = 0; rep <= ctx.reps(); rep++) {
            histogram.reset();
            long start = System.nanoTime();
            long deadline = start + (rep == 0 ? ctx.warmupMs() : ctx.repMs()) * 1_000_000L;
            long now;
            do {
                int key = random.nextInt(entries);
                long t = System.nanoTime();
                op.run(key);
                now = System.nanoTime();
                histogram.recordValue(now - t);
            } while (now - deadline < 0);
            if (rep > 0) {
                ctx.result(new RepResult(rep, histogram.getTotalCount(), System.nanoTime() - start,
                        histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                        histogram.getValueAtPercentile(99.9)));
            }
        }
    }
}
