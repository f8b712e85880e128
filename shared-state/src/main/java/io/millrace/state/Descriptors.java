package io.millrace.state;

import io.millrace.shm.SharedRegion;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one commit engine of {@link Transactions}: the owner-claimed descriptors of a region and the commit and
 * recovery protocol over them, for any kind of item (the structs of a {@link StructArray}: {@link StructTransactions};
 * the segments of a {@link SharedMap}: {@link MapTransactions}), which supplies how an item is locked, undone and
 * re-applied from its descriptor.
 *
 * <h2>Descriptors</h2>
 * One per participant slot of the region (64), written only by whoever holds its {@code claim} word (an
 * {@link OwnerLock}: the slot's process while it commits, or a survivor recovering it):
 * <pre>
 *   0 claim | 8 txRef (the committer's participant reference) | 16 state: IDLE 0, LOCKING 1, DECIDED 2
 *   24 itemCount | 32, 40 the kind's | 48 link: 0, or the {@link TxLog} record and part (+1) | 56 link serial
 *   64 items: 32 x 8 (ascending) | then the kind's redo records
 * </pre>
 * <h2>Commit of one region</h2>
 * <ol>
 *   <li>C1. Take the process's commit lock of the region (the descriptor is per process) and the claim; a previous
 *       incarnation's unfinished descriptor is recovered first (C5).</li>
 *   <li>C2. Write {@code txRef}, the items (ascending), the link, {@code state = LOCKING} (release); lock the items
 *       in that order, with the lock words the kind's plain writes take.</li>
 *   <li>C3. Validate: every item read and not locked here is unlocked, then (for all) still has the version the body
 *       saw ({@link Attempt#validate}: free first, or a commit could slip in between). Failing: unlock, {@code IDLE}:
 *       the body runs again.</li>
 *   <li>C4. Write the redo records, {@code state = DECIDED} (release): the commit point. Apply per item, unlock the
 *       items, {@code IDLE}, release the claim.</li>
 *   <li>C5. Recovery: a waiter that finds an item's lock held by a dead process takes that process's descriptor
 *       claim; if the descriptor is that incarnation's and not {@code IDLE}, it takes over, one CAS each, the listed
 *       items the dead reference still holds, undoes what the kind's own write left cut short, re-applies the
 *       records when decided (idempotent), unlocks them, stores {@code IDLE}.</li>
 * </ol>
 * <h2>Commit across regions</h2>
 * A transaction writing in several regions ({@link Transaction}) has a descriptor in each (C1-C3, regions in name
 * order, each {@code LOCKING} with a link to one record of the directory's {@link TxLog}); after every part has
 * its redo records, the record's {@code DECIDED} is the one commit point for all. A survivor of any region finds the
 * decision from the link in the dead holder's descriptor: that is why the decision sits in a directory-wide region
 * that every participant can attach, not in one participant's region (which another might not have open).
 */
abstract class Descriptors {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    static final int SLOTS = 64;
    static final int MAX_ITEMS = 32;
    static final long CLAIM = 0;
    static final long TX_REF = 8;
    static final long STATE = 16;
    static final long ITEM_COUNT = 24;
    static final long LINK = 48;
    static final long LINK_SERIAL = 56;
    static final long ITEMS = 64;
    static final long REDO = ITEMS + 8L * MAX_ITEMS;
    static final long IDLE = 0;
    static final long LOCKING = 1;
    static final long DECIDED = 2;

    final SharedRegion region;
    final MemorySegment table;
    final long lockTimeoutNanos;
    private final ReentrantLock commitLock = new ReentrantLock();
    private final String lockedPoint;
    private final String decidedPoint;
    private final String appliedPoint;

    Descriptors(SharedRegion region, MemorySegment table, long lockTimeoutNanos, String crashPrefix) {
        this.region = region;
        this.table = table;
        this.lockTimeoutNanos = lockTimeoutNanos;
        this.lockedPoint = crashPrefix + ".locked";
        this.decidedPoint = crashPrefix + ".decided";
        this.appliedPoint = crashPrefix + ".applied";
    }

    /** {@return the offset of slot {@code slot}'s descriptor in {@link #table}} */
    abstract long descriptor(int slot);

    /** {@return what the descriptors belong to, for messages: {@code struct array 'a'}, {@code map 'm'}} */
    abstract String what();

    /** Locks {@code item} for a commit, recovering a dead holder (its transaction first, through C5). */
    abstract void lockItem(long item);

    /** Unlocks {@code item} after a commit or a recovery. */
    abstract void unlockItem(long item);

    /** {@return whether the item's lock moved from {@code deadRef} to this process} (one CAS, C5) */
    abstract boolean takeOver(long item, long deadRef);

    /**
     * C5, holding the item taken over, before the records are re-applied when {@code decided}: undoes what the dead
     * holder left cut short in the item (a plain write of it, or a mutation of the transaction's own apply).
     */
    abstract void undoItem(long item, boolean decided);

    /** Holding the item's lock: writes the descriptor's records for it. Idempotent. */
    abstract void applyItem(long desc, long item);

    /** {@return whether {@code item} is one of this region's items} (else the descriptor is corrupt) */
    abstract boolean validItem(long item);

    /**
     * {@return whether a descriptor of {@code table} (slots of {@code stride} bytes from {@code first}) is not
     * {@code IDLE} and links one of {@code records}} (a {@link TxLog} record's index and serial, in pairs); a table
     * too small for its slots counts as linking
     */
    static boolean links(MemorySegment table, long first, long stride, long[] records) {
        if (stride < REDO || table.byteSize() < first + SLOTS * stride) {
            return true;
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            long desc = first + slot * stride;
            long link = (long) LONG.getVolatile(table, desc + LINK);
            if (link == 0 || (long) LONG.getVolatile(table, desc + STATE) == IDLE) {
                continue;
            }
            long serial = (long) LONG.getVolatile(table, desc + LINK_SERIAL);
            for (int i = 0; i < records.length; i += 2) {
                if (link >>> 8 == records[i] && serial == records[i + 1]) {
                    return true;
                }
            }
        }
        return false;
    }

    static int slotOf(long ref) {
        return (int) ref - 1;
    }

    /** C1-C4 for an attempt that writes in this region only. {@return false when validation failed} */
    final boolean commitLocal(Attempt tx) {
        return commitLocal(tx, List.of());
    }

    /**
     * C1-C4 for an attempt that writes in this region only, whose transaction also read {@code readOnly} parts of
     * other regions: validated too while the writes' items are locked. {@return false when validation failed}
     */
    final boolean commitLocal(Attempt tx, List<Attempt> readOnly) {
        begin(tx, 0, 0);
        try {
            lockAll(tx);
            if (!tx.validate(tx.items)) {
                return false;
            }
            for (Attempt other : readOnly) {
                if (other != tx && !other.validate(Attempt.NONE)) {
                    return false;
                }
            }
            tx.writeRedo(table, tx.desc);
            decide(tx);
            applyAll(tx);
            return true;
        } finally {
            end(tx);
        }
    }

    /** C1-C2 up to {@code LOCKING}: the commit lock, the claim, the descriptor of {@code tx.items}, the link. */
    final void begin(Attempt tx, long link, long linkSerial) {
        long[] items = tx.items;
        long self = region.participantRef();
        long desc = descriptor(slotOf(self));
        commitLock.lock();
        try {
            claim(desc);
        } catch (RuntimeException | Error e) {
            commitLock.unlock();
            throw e;
        }
        tx.desc = desc;
        tx.locked = 0;
        try {
            long stale = (long) LONG.getVolatile(table, desc + TX_REF);
            if (stale != self && (long) LONG.getVolatile(table, desc + STATE) != IDLE) {
                finish(desc, stale); // C5 for this slot's previous incarnation
            }
        } catch (RuntimeException | Error e) {
            OwnerLock.release(table, desc + CLAIM);
            commitLock.unlock();
            throw e;
        }
        LONG.set(table, desc + TX_REF, self);
        LONG.set(table, desc + ITEM_COUNT, (long) items.length);
        for (int i = 0; i < items.length; i++) {
            LONG.set(table, desc + ITEMS + 8L * i, items[i]);
        }
        LONG.set(table, desc + LINK, link);
        LONG.set(table, desc + LINK_SERIAL, linkSerial);
        tx.clearRedo(table, desc);
        LONG.setRelease(table, desc + STATE, LOCKING);
    }

    /** C2: locks the attempt's items in order; {@code tx.locked} counts them for {@link #end}. */
    final void lockAll(Attempt tx) {
        for (long item : tx.items) {
            lockItem(item);
            tx.locked++;
            CrashPoints.reach(lockedPoint);
        }
    }

    /** C4's commit point for one region. */
    final void decide(Attempt tx) {
        LONG.setRelease(table, tx.desc + STATE, DECIDED);
        CrashPoints.reach(decidedPoint);
    }

    final void applyAll(Attempt tx) {
        for (long item : tx.items) {
            applyItem(tx.desc, item);
            CrashPoints.reach(appliedPoint);
        }
    }

    /** Unlocks what {@link #lockAll} locked, {@code IDLE}, releases the claim and the commit lock. */
    final void end(Attempt tx) {
        try {
            for (int i = 0; i < tx.locked; i++) {
                unlockItem(tx.items[i]);
            }
            LONG.setRelease(table, tx.desc + STATE, IDLE);
            OwnerLock.release(table, tx.desc + CLAIM);
        } finally {
            tx.locked = 0;
            commitLock.unlock();
        }
    }

    /** C5, called by a waiter before it takes an item over from {@code deadRef}. */
    final void recoverTransactionOf(long deadRef) {
        int slot = slotOf(deadRef);
        if (slot < 0 || slot >= SLOTS) {
            return;
        }
        long desc = descriptor(slot);
        if ((long) LONG.getVolatile(table, desc + TX_REF) != deadRef
                || (long) LONG.getVolatile(table, desc + STATE) == IDLE) {
            return;
        }
        claim(desc);
        try {
            finish(desc, deadRef);
        } finally {
            OwnerLock.release(table, desc + CLAIM);
        }
    }

    private void claim(long desc) {
        if ((boolean) LONG.compareAndSet(table, desc + CLAIM, 0L, region.participantRef())) {
            return; // free: no message built
        }
        OwnerLock.acquire(region, table, desc + CLAIM, lockTimeoutNanos, "transaction descriptor at offset="
                + desc + " of " + what());
    }

    /** Holding the claim: finishes (decided) or drops (not decided) the transaction of {@code deadRef}. */
    private void finish(long desc, long deadRef) {
        if ((long) LONG.getVolatile(table, desc + TX_REF) != deadRef) {
            return;
        }
        long state = (long) LONG.getVolatile(table, desc + STATE);
        long count = (long) LONG.getVolatile(table, desc + ITEM_COUNT);
        if (state == IDLE) {
            return;
        }
        if (state != LOCKING && state != DECIDED || count < 0 || count > MAX_ITEMS) {
            throw BlockHeader.corrupt(what(), "descriptor state=" + state + " itemCount=" + count);
        }
        long link = (long) LONG.getVolatile(table, desc + LINK);
        long serial = (long) LONG.getVolatile(table, desc + LINK_SERIAL);
        TxLog log = link == 0 ? null : TxLog.of(region.directory());
        boolean decided = log == null ? state == DECIDED : log.decided(link, serial);
        for (int i = 0; i < count; i++) {
            long item = (long) LONG.get(table, desc + ITEMS + 8L * i);
            if (!validItem(item)) {
                throw BlockHeader.corrupt(what(), "descriptor item=" + item);
            }
            if (takeOver(item, deadRef)) {
                undoItem(item, decided);
                if (decided) {
                    applyItem(desc, item);
                }
                unlockItem(item);
            }
        }
        LONG.setRelease(table, desc + STATE, IDLE);
        if (log != null) {
            log.resolved(link, serial);
        }
        recovered();
    }

    /** Counts a recovered transaction. */
    abstract void recovered();
}
