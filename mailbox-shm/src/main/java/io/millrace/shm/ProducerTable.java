package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The producers of an MPSC ring, one 128-byte entry per participant slot in the ring header (see
 * {@link RingDescriptor}): who is registered in that slot, from which {@code tail}, and which claim its process is
 * making now.
 *
 * <pre>
 *   producer     participant reference (incarnation, slot) of the registered producer; 0 when none
 *   since        tail when it registered: the slot's claims below it are a previous occupant's
 *   announce     1 + the position this process is claiming at; -1 while it holds the window without one; 0 idle
 *   announceEnd  where that claim ends
 *   orphans      3 pairs (1 + start, end): announcements of dead predecessors in this slot
 * </pre>
 *
 * <h2>Whose is a claim</h2>
 * A claimed header names only the slot. It is a previous occupant's (gone) when the entry has no producer, or the
 * header lies below {@code since}, or the registered incarnation is dead: a slot reused by a live process does not
 * keep a dead one's claim alive.
 *
 * <h2>Whose is a zero header (the claim window)</h2>
 * Between its compare-and-set of {@code tail} and its claimed-header store, a producer's claim reads zero. Before the
 * compare-and-set, the producer stores the claim's start and end here ({@code announceEnd}, then {@code announce}
 * with release; the compare-and-set orders them before the claim), and clears {@code announce} after the header
 * store. Threads of one process share the entry, so they take the window in turn (compare-and-set of
 * {@code announce} from 0 to -1). A consumer stuck on a zero header at {@code q}, with {@code tail} (read before)
 * beyond it, looks for the announcements that cover {@code q}: if one of a live producer does, it waits, however
 * long (a stopped process is never skipped, so its late header store can never land in released space); otherwise
 * the claim is a dead one's and the gap runs to the nearest end among the dead announcements that cover {@code q}
 * (an announcement of a failed compare-and-set may cover it too; the nearest end lies within the real claim, and
 * the rest is found the same way). None covering: it waits. A process taking a dead one's slot moves the dead
 * announcement to an orphan pair first; with all three pairs still ahead of the consumer, it cannot register yet
 * (its claims are back-pressured until the consumer has passed one).
 */
final class ProducerTable {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    /** {@code announce} while a thread holds the window and has not chosen its position yet. */
    static final long BUSY = -1;
    private static final int ORPHANS = 3;
    private static final long PRODUCER = 0;
    private static final long SINCE = 8;
    private static final long ANNOUNCE = 16;
    private static final long ANNOUNCE_END = 24;
    private static final long ORPHAN = 32;

    private final MemorySegment segment;
    private final long base;
    private final Participants participants;

    ProducerTable(MemorySegment segment, long ringBase, Participants participants) {
        this.segment = segment;
        this.base = ringBase + RingDescriptor.PRODUCER_TABLE_OFFSET;
        this.participants = participants;
    }

    private long entry(int slot) {
        return base + slot * RingDescriptor.PRODUCER_ENTRY_LENGTH;
    }

    long producer(int slot) {
        return (long) LONG.getVolatile(segment, entry(slot) + PRODUCER);
    }

    /** Where {@code slot}'s window word is: {@link #BUSY}, 0, or 1 + a position. */
    long announceOffset(int slot) {
        return entry(slot) + ANNOUNCE;
    }

    long announceEndOffset(int slot) {
        return entry(slot) + ANNOUNCE_END;
    }

    /**
     * Registers {@code ref} in its slot's entry from {@code tail}, first moving a dead predecessor's announcement to
     * a free orphan pair; returns the reference it replaced (0: none, or one that left or was found dead), or
     * {@link #BUSY} when no orphan pair is free ({@code head}: where the consumer is).
     */
    long register(long ref, long tail, long head) {
        int slot = Participants.slotOf(ref);
        long at = entry(slot);
        long announce = (long) LONG.getVolatile(segment, at + ANNOUNCE);
        long announceEnd = (long) LONG.getVolatile(segment, at + ANNOUNCE_END);
        int orphan = -1;
        if (announce > 0 && announceEnd - head > 0) {
            for (int i = 0; i < ORPHANS && orphan < 0; i++) {
                if ((long) LONG.getVolatile(segment, at + ORPHAN + 16L * i + 8) - head <= 0) {
                    orphan = i;
                }
            }
            if (orphan < 0) {
                return BUSY;
            }
        }
        long old;
        do {
            old = producer(slot);
        } while (old != ref && !LONG.compareAndSet(segment, at + PRODUCER, old, ref));
        if (orphan >= 0) {
            long pair = at + ORPHAN + 16L * orphan;
            LONG.setRelease(segment, pair, 0L);
            LONG.setRelease(segment, pair + 8, announceEnd);
            LONG.setRelease(segment, pair, announce);
        }
        LONG.setRelease(segment, at + ANNOUNCE, 0L);
        LONG.setRelease(segment, at + SINCE, tail);
        return old == ref ? 0 : old;
    }

    /** {@code ref} leaves: its entry is free. */
    void leave(long ref) {
        boolean ignored = LONG.compareAndSet(segment, entry(Participants.slotOf(ref)) + PRODUCER, ref, 0L);
    }

    /** Clears {@code slot}'s entry if it still holds {@code ref}, a dead producer; true if this call did. */
    boolean clearDead(int slot, long ref) {
        return LONG.compareAndSet(segment, entry(slot) + PRODUCER, ref, 0L);
    }

    /** True when the claim at {@code position} whose header names {@code slot} is no live producer's. */
    boolean claimGone(long position, int slot) {
        long producer = producer(slot);
        if (producer == 0) {
            return true;
        }
        if (position - (long) LONG.getAcquire(segment, entry(slot) + SINCE) < 0) {
            return true;
        }
        return !participants.isAlive(producer);
    }

    /**
     * Where the dead claim that covers {@code position} (whose header reads zero, below {@code tail}) ends, or 0
     * while a live producer's announcement covers it or none does (see the class comment).
     */
    long deadClaimEnd(long position) {
        long end = 0;
        for (int slot = 0; slot < participants.capacity(); slot++) {
            long at = entry(slot);
            long announce = (long) LONG.getAcquire(segment, at + ANNOUNCE);
            if (announce > 0 && position - (announce - 1) >= 0) {
                long announceEnd = (long) LONG.getAcquire(segment, at + ANNOUNCE_END);
                if (position - announceEnd < 0) {
                    long producer = producer(slot);
                    long since = (long) LONG.getAcquire(segment, at + SINCE);
                    if ((long) LONG.getAcquire(segment, at + ANNOUNCE) != announce) {
                        return 0; // moving: a live producer's window
                    }
                    if (producer != 0 && announce - 1 - since >= 0 && participants.isAlive(producer)) {
                        return 0;
                    }
                    end = end == 0 || announceEnd - end < 0 ? announceEnd : end;
                }
            }
            for (int i = 0; i < ORPHANS; i++) {
                long pair = at + ORPHAN + 16L * i;
                long start = (long) LONG.getAcquire(segment, pair);
                long orphanEnd = (long) LONG.getAcquire(segment, pair + 8);
                if (start > 0 && position - (start - 1) >= 0 && position - orphanEnd < 0
                        && (long) LONG.getAcquire(segment, pair) == start) {
                    end = end == 0 || orphanEnd - end < 0 ? orphanEnd : end;
                }
            }
        }
        return end;
    }

    /** Calls {@code visitor} with every registered producer's slot and reference. */
    void forEach(java.util.function.ObjLongConsumer<Integer> visitor) {
        for (int slot = 0; slot < participants.capacity(); slot++) {
            long producer = producer(slot);
            if (producer != 0) {
                visitor.accept(slot, producer);
            }
        }
    }
}
