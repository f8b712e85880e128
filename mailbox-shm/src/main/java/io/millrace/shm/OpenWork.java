package io.millrace.shm;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a ring handle has claimed and not yet published: the indexes of its open {@link Ring#tryClaim} claims and its
 * {@link Ring.Batch}es. When the handle leaves the ring or its region closes, all of it is aborted (turned into
 * padding the consumer passes unseen), so that a consumer never waits on claims of a producer that has gone on
 * purpose, and a later occupant of its participant slot inherits none of them. Claims are noted only by
 * {@code tryClaim} (an {@code offer} publishes before it returns); batches are held weakly, so one dropped unflushed
 * is not kept alive here.
 */
final class OpenWork {
    private long[] claims = new long[4];
    private int claimCount;
    private final List<WeakReference<Ring.Batch>> batches = new ArrayList<>();

    synchronized void claimed(long index) {
        if (claimCount == claims.length) {
            claims = Arrays.copyOf(claims, claimCount * 2);
        }
        claims[claimCount++] = index;
    }

    synchronized void closed(long index) {
        for (int i = claimCount - 1; i >= 0; i--) {
            if (claims[i] == index) {
                claims[i] = claims[--claimCount];
                return;
            }
        }
    }

    synchronized void add(Ring.Batch batch) {
        batches.removeIf(reference -> reference.get() == null);
        batches.add(new WeakReference<>(batch));
    }

    /** Aborts every open claim and every batch's unflushed records of {@code ring}'s handle. */
    synchronized void abort(Ring ring) {
        long[] open = Arrays.copyOf(claims, claimCount);
        claimCount = 0;
        for (long index : open) {
            try {
                ring.abort(index);
            } catch (RuntimeException alreadyGone) {
                // committed or aborted by another thread meanwhile, or skipped by the consumer
            }
        }
        for (WeakReference<Ring.Batch> reference : batches) {
            Ring.Batch batch = reference.get();
            if (batch != null) {
                batch.abandon();
            }
        }
    }
}
