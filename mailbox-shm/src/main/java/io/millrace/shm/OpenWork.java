package io.millrace.shm;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a ring handle has claimed and not yet published: the indexes of its open {@link Ring#tryClaim} claims and its
 * {@link Ring.Batch}es. When the handle leaves the ring or its region closes, all of it is aborted (turned into
 * padding the consumer passes unseen), so that a consumer never waits on claims of a producer that has gone on
 * purpose, and a later occupant of its participant slot inherits none of them. Claims are noted only by
 * {@code tryClaim} (an {@code offer} publishes before it returns); batches are held weakly, so one dropped unflushed
 * is not kept alive here.
 *
 * <p>Lock-free on the claim path, which pays it twice per zero-copy record: an open claim takes one of
 * {@value #SLOTS} slots by a compare-and-set from 0 to {@code index + 1} and gives it back by a compare-and-set to 0
 * (a handle may be shared by the threads of an MPSC producer). Only a thread holding more than that many claims at once
 * goes to the locked overflow list. {@link #abort} empties each slot with {@code getAndSet}, so a claim is aborted
 * here at most once and a slot is never taken twice; a claim committed meanwhile makes the ring's {@code abort}
 * throw, which is ignored. (A {@code synchronized} tracker cost 23 ns of a 49 ns one-thread claim, commit and poll:
 * perf/EXPERIMENTS.md.)
 */
final class OpenWork {
    /** Claims tracked without a lock; more at once go to {@link #overflow}. */
    static final int SLOTS = 8;

    private final AtomicLongArray open = new AtomicLongArray(SLOTS);
    /** Claims beyond the slots (guarded by {@code this}); {@link #overflowCount} says whether to look. */
    private long[] overflow = new long[4];
    private volatile int overflowCount;
    private final List<WeakReference<Ring.Batch>> batches = new ArrayList<>();

    void claimed(long index) {
        long mark = index + 1;
        for (int i = 0; i < SLOTS; i++) {
            if (open.getPlain(i) == 0 && open.compareAndSet(i, 0, mark)) {
                return;
            }
        }
        synchronized (this) {
            int count = overflowCount;
            if (count == overflow.length) {
                overflow = Arrays.copyOf(overflow, count * 2);
            }
            overflow[count] = index;
            overflowCount = count + 1;
        }
    }

    void closed(long index) {
        long mark = index + 1;
        for (int i = 0; i < SLOTS; i++) {
            if (open.getPlain(i) == mark && open.compareAndSet(i, mark, 0)) {
                return;
            }
        }
        if (overflowCount > 0) {
            synchronized (this) {
                int count = overflowCount;
                for (int i = count - 1; i >= 0; i--) {
                    if (overflow[i] == index) {
                        overflow[i] = overflow[count - 1];
                        overflowCount = count - 1;
                        return;
                    }
                }
            }
        }
    }

    synchronized void add(Ring.Batch batch) {
        batches.removeIf(reference -> reference.get() == null);
        batches.add(new WeakReference<>(batch));
    }

    /** Aborts every open claim and every batch's unflushed records of {@code ring}'s handle. */
    synchronized void abort(Ring ring) {
        for (int i = 0; i < SLOTS; i++) {
            long mark = open.getAndSet(i, 0);
            if (mark != 0) {
                abortClaim(ring, mark - 1);
            }
        }
        long[] more = Arrays.copyOf(overflow, overflowCount);
        overflowCount = 0;
        for (long index : more) {
            abortClaim(ring, index);
        }
        for (WeakReference<Ring.Batch> reference : batches) {
            Ring.Batch batch = reference.get();
            if (batch != null) {
                batch.abandon();
            }
        }
    }

    private static void abortClaim(Ring ring, long index) {
        try {
            ring.abort(index);
        } catch (RuntimeException alreadyGone) {
            // committed or aborted by another thread meanwhile, or skipped by the consumer
        }
    }
}
