package io.millrace.perf.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The consumer's side of a stream trial: fed the header of each message in arrival order, it checks every
 * producer's sequence and cuts the stream into windows. A window ends when every producer's end-of-repetition
 * marker for it has arrived; the next window starts at that instant, so windows tile the stream with no gap.
 * Repetition 0 (the warm-up) starts at the first message and is not reported.
 * <p>
 * Each window also carries the CPU time of the consuming thread (ThreadMXBean, read once at each window edge, on
 * the thread that calls {@link #onHeader}): the consumer's share of the window and its messages per CPU-second.
 * A consumer whose messages arrive on more than one thread in a window (an actor or a Flux hopping between
 * dispatcher threads) has no single thread to measure; its window's CPU time is null.
 */
public final class StreamMeter {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU_MEASURED = THREADS.isCurrentThreadCpuTimeSupported()
            && THREADS.isThreadCpuTimeEnabled();

    private final RoleContext ctx;
    private final int producers;
    private final int lastRep;
    private final int[] markers;
    private final long[] nextSequence;
    private int rep;
    private long count;
    private long start = -1;
    private long cpuStart;
    private Thread thread;
    private boolean moved;

    public StreamMeter(RoleContext ctx) {
        this.ctx = ctx;
        this.producers = ctx.scenario().producers();
        this.lastRep = ctx.reps();
        this.markers = new int[lastRep + 1];
        this.nextSequence = new long[producers];
    }

    /** Feeds the header of the next message received. */
    public void onHeader(long header) {
        if (Thread.currentThread() != thread) {
            moved = true;
        }
        if (header >= 0) {
            int producer = Header.producer(header);
            if (producer >= producers || Header.sequence(header) != nextSequence[producer]) {
                throw new IllegalStateException("stream corrupted: header=0x" + Long.toHexString(header)
                        + " expected producer<" + producers + " sequence="
                        + (producer < producers ? nextSequence[producer] : -1));
            }
            nextSequence[producer]++;
            if (start < 0) {
                openWindow(System.nanoTime(), cpuNow());
            }
            count++;
            return;
        }
        int r = Header.markerRep(header);
        if (r < 0 || r > lastRep) {
            throw new IllegalStateException("unexpected marker header=" + header);
        }
        markers[r]++;
        while (rep <= lastRep && markers[rep] == producers) {
            long now = System.nanoTime();
            long cpu = cpuNow();
            if (rep > 0) {
                ctx.result(RepResult.throughput(rep, count, now - start, moved || cpu < 0 ? null : cpu - cpuStart));
            }
            openWindow(now, cpu);
            rep++;
        }
    }

    /** Starts a window at wall time {@code now} and thread CPU time {@code cpu}, both read just before. */
    private void openWindow(long now, long cpu) {
        count = 0;
        start = now;
        cpuStart = cpu;
        thread = Thread.currentThread();
        moved = false;
    }

    /** The calling thread's CPU time in ns, or -1 where the JVM cannot tell. */
    private static long cpuNow() {
        return CPU_MEASURED ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /** True once the last repetition has been reported. */
    public boolean done() {
        return rep > lastRep;
    }
}
