package io.millrace.perf.bench;

import org.HdrHistogram.Histogram;

/**
 * The pinger's side of a ping-pong trial: time-bound repetitions of round trips, each timed with
 * {@link System#nanoTime()} into an HdrHistogram; one {@code RESULT} per reported repetition with p50, p99
 * and p99.9. Ends with a {@link Header#STOP} round trip so that the ponger exits on its own.
 */
public final class PingLoop {

    /** Sends one message with {@code header} and returns when its echo has arrived. */
    @FunctionalInterface
    public interface RoundTrip {
        void exchange(long header) throws Exception;
    }

    private PingLoop() {
    }

    /** Fails the trial when the echo that arrived is not the message that was sent. */
    public static void checkEcho(long sent, long echoed) {
        if (sent != echoed) {
            throw new IllegalStateException("echo mismatch: sent header=" + sent + ", got " + echoed);
        }
    }

    public static void run(RoleContext ctx, RoundTrip roundTrip) throws Exception {
        Histogram histogram = new Histogram(3_600_000_000_000L, 3);
        long sequence = 0;
        for (int rep = 0; rep <= ctx.reps(); rep++) {
            histogram.reset();
            long start = System.nanoTime();
            long deadline = start + (rep == 0 ? ctx.warmupMs() : ctx.repMs()) * 1_000_000L;
            long before = start;
            long after;
            do {
                roundTrip.exchange(Header.message(0, sequence++));
                after = System.nanoTime();
                histogram.recordValue(after - before);
                before = after;
            } while (after - deadline < 0);
            if (rep > 0) {
                ctx.result(new RepResult(rep, histogram.getTotalCount(), after - start,
                        histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                        histogram.getValueAtPercentile(99.9)));
            }
        }
        roundTrip.exchange(Header.STOP);
    }
}
