package io.millrace.perf.bench;

import java.util.NoSuchElementException;
import java.util.function.LongSupplier;

/**
 * The headers a producer sends in a stream trial, one at a time on demand: the pull form of {@link ProducerLoop},
 * for producers that are called back rather than looping (an actor sending while its window allows, a
 * {@code Flux.generate} asked for the next element). The same repetitions as {@link ProducerLoop}: repetition 0
 * (warm-up) then {@code reps} repetitions, each of data messages for its time limit (the clock read every
 * {@value ProducerLoop#CHECK_EVERY} messages) or until the per-repetition bound, then one end-of-repetition marker.
 * The clock starts at the first {@link #next()}.
 *
 * <p>{@link ProducerLoop} stays a loop of its own: it is the hot path of the transport rows and their targets.
 */
public final class ProducerSequence {

    private final int producer;
    private final int reps;
    private final long warmupNanos;
    private final long repNanos;
    private final long maxPerRep;
    private final LongSupplier clock;
    private long sequence;
    private int rep;
    private long deadline;
    private long sentInRep;
    private boolean started;
    private boolean markerDue;
    private boolean done;

    /** The sequence of producer {@code ctx.index()} of {@code ctx}'s trial, on {@link System#nanoTime()}. */
    public ProducerSequence(RoleContext ctx) {
        this(ctx.index(), ctx.reps(), ctx.warmupMs(), ctx.repMs(), ctx.maxMessagesPerRepetition(), System::nanoTime);
    }

    /**
     * @param producer  the producer number in every data header (0..)
     * @param reps      reported repetitions after the warm-up (at least 1)
     * @param maxPerRep at most this many data messages in one repetition (at least {@value ProducerLoop#CHECK_EVERY})
     * @param clock     nanoseconds, monotonic
     * @throws IllegalArgumentException if {@code producer} or {@code reps} is negative or zero where not allowed
     */
    public ProducerSequence(int producer, int reps, int warmupMs, int repMs, long maxPerRep, LongSupplier clock) {
        if (producer < 0 || reps < 1 || warmupMs < 0 || repMs < 1) {
            throw new IllegalArgumentException("producer=" + producer + " reps=" + reps + " warmupMs=" + warmupMs
                    + " repMs=" + repMs);
        }
        this.producer = producer;
        this.reps = reps;
        this.warmupNanos = warmupMs * 1_000_000L;
        this.repNanos = repMs * 1_000_000L;
        this.maxPerRep = Math.max(ProducerLoop.CHECK_EVERY, maxPerRep);
        this.clock = clock;
    }

    /** False once the last repetition's marker has been handed out. */
    public boolean hasNext() {
        return !done;
    }

    /**
     * The next header: a data message, or the marker that ends the current repetition.
     *
     * @throws NoSuchElementException after the last marker
     */
    public long next() {
        if (done) {
            throw new NoSuchElementException("the last repetition (" + reps + ") has ended");
        }
        if (!started) {
            started = true;
            deadline = clock.getAsLong() + warmupNanos;
        }
        if (markerDue) {
            markerDue = false;
            long marker = Header.endOfRep(rep);
            rep++;
            sentInRep = 0;
            if (rep > reps) {
                done = true;
            } else {
                deadline = clock.getAsLong() + repNanos;
            }
            return marker;
        }
        long header = Header.message(producer, sequence++);
        sentInRep++;
        if (sentInRep % ProducerLoop.CHECK_EVERY == 0
                && (clock.getAsLong() - deadline >= 0 || sentInRep >= maxPerRep)) {
            markerDue = true;
        }
        return header;
    }
}
