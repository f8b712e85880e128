package io.millrace.perf.bench;

/**
 * The consumer's side of a stream trial: fed the header of each message in arrival order, it checks every
 * producer's sequence and cuts the stream into windows. A window ends when every producer's end-of-repetition
 * marker for it has arrived; the next window starts at that instant, so windows tile the stream with no gap.
 * Repetition 0 (the warm-up) starts at the first message and is not reported.
 */
public final class StreamMeter {

    private final RoleContext ctx;
    private final int producers;
    private final int lastRep;
    private final int[] markers;
    private final long[] nextSequence;
    private int rep;
    private long count;
    private long start = -1;

    public StreamMeter(RoleContext ctx) {
        this.ctx = ctx;
        this.producers = ctx.scenario().producers();
        this.lastRep = ctx.reps();
        this.markers = new int[lastRep + 1];
        this.nextSequence = new long[producers];
    }

    /** Feeds the header of the next message received. */
    public void onHeader(long header) {
        if (header >= 0) {
            int producer = Header.producer(header);
            if (producer >= producers || Header.sequence(header) != nextSequence[producer]) {
                throw new IllegalStateException("stream corrupted: header=0x" + Long.toHexString(header)
                        + " expected producer<" + producers + " sequence="
                        + (producer < producers ? nextSequence[producer] : -1));
            }
            nextSequence[producer]++;
            if (start < 0) {
                start = System.nanoTime();
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
            if (rep > 0) {
                ctx.result(RepResult.throughput(rep, count, now - start));
            }
            count = 0;
            start = now;
            rep++;
        }
    }

    /** True once the last repetition has been reported. */
    public boolean done() {
        return rep > lastRep;
    }
}
