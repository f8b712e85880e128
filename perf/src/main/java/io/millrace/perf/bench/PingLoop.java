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
        Rounds rounds = new Rounds(ctx);
        for (long header = rounds.first(); header != Header.STOP; header = rounds.echoed()) {
            roundTrip.exchange(header);
        }
        roundTrip.exchange(Header.STOP);
    }

    /**
     * The same loop in push form, for a pinger that is called back with each echo (an actor asking from its own
     * lane): {@link #first()} gives the first header to send, {@link #echoed()} records the round trip whose echo
     * has just arrived and gives the next header, {@link Header#STOP} once the last repetition is reported (the
     * caller sends that round trip too, untimed).
     */
    public static final class Rounds {
        private final RoleContext ctx;
        private final Histogram histogram = new Histogram(3_600_000_000_000L, 3);
        private long sequence;
        private int rep;
        private long start;
        private long deadline;
        private long before;

        public Rounds(RoleContext ctx) {
            this.ctx = ctx;
        }

        /** Starts the warm-up repetition; returns the first header to send. */
        public long first() {
            begin(System.nanoTime());
            return Header.message(0, sequence++);
        }

        /** Records the round trip just echoed; returns the next header, or {@link Header#STOP} after the last rep. */
        public long echoed() {
            long after = System.nanoTime();
            histogram.recordValue(after - before);
            before = after;
            if (after - deadline >= 0) {
                if (rep > 0) {
                    ctx.result(new RepResult(rep, histogram.getTotalCount(), after - start,
                            histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                            histogram.getValueAtPercentile(99.9)));
                }
                if (++rep > ctx.reps()) {
                    return Header.STOP;
                }
                begin(System.nanoTime());
            }
            return Header.message(0, sequence++);
        }

        private void begin(long now) {
            histogram.reset();
            start = now;
            before = now;
            deadline = now + (rep == 0 ? ctx.warmupMs() : ctx.repMs()) * 1_000_000L;
        }
    }
}
