package io.millrace.perf.bench;

/**
 * The producer's side of a stream trial: repetition 0 (warm-up) then {@code reps} repetitions, each sending
 * data messages for its time limit (or until {@link BenchSystem#maxBytesPerRepetition()}), then one
 * end-of-repetition marker. The clock is read every {@value #CHECK_EVERY} messages.
 */
public final class ProducerLoop {

    /** Sends one message whose first 8 bytes are {@code header}, waiting (spinning) while back-pressured. */
    @FunctionalInterface
    public interface Sender {
        void send(long header) throws Exception;
    }

    static final int CHECK_EVERY = 16;

    private ProducerLoop() {
    }

    public static void run(RoleContext ctx, Sender sender) throws Exception {
        int producer = ctx.index();
        long maxPerRep = Math.max(CHECK_EVERY, ctx.maxMessagesPerRepetition());
        long sequence = 0;
        for (int rep = 0; rep <= ctx.reps(); rep++) {
            long deadline = System.nanoTime() + (rep == 0 ? ctx.warmupMs() : ctx.repMs()) * 1_000_000L;
            long sent = 0;
            do {
                for (int i = 0; i < CHECK_EVERY; i++) {
                    sender.send(Header.message(producer, sequence++));
                }
                sent += CHECK_EVERY;
            } while (System.nanoTime() - deadline < 0 && sent < maxPerRep);
            sender.send(Header.endOfRep(rep));
        }
    }
}
