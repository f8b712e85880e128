package io.millrace.state;

import io.millrace.shm.SharedRegion;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Commit and recovery of {@link Transactions} over the structs of one {@link StructArray}.
 *
 * <h2>Descriptors</h2>
 * The array's block holds one descriptor per participant slot (64), written only by whoever holds its
 * {@code claim} word (an {@link OwnerLock}: the slot's process while it commits, or a survivor recovering it):
 * <pre>
 *   0 claim | 8 txRef (the committer's participant reference) | 16 state: IDLE 0, LOCKING 1, DECIDED 2
 *   24 elementCount | 32 writeCount | 64 elements: 32 x 8 (index) | 320 writes: 64 x (offset 8, value 8)
 * </pre>
 * <h2>Commit</h2>
 * <ol>
 *   <li>T1. Take the process's commit lock (one commit per process: the descriptor is per process) and the claim;
 *       a previous incarnation's unfinished descriptor is recovered first (T5).</li>
 *   <li>T2. Write {@code txRef} and the elements to write (ascending), {@code state = LOCKING} (release); then lock
 *       the elements in that order with the elements' own lock words, the ones {@code update} takes.</li>
 *   <li>T3. Validate: every element read still has the {@code seq} the body saw, and those not locked by this
 *       transaction are unlocked. Failing: unlock, {@code IDLE}: the body runs again.</li>
 *   <li>T4. Write the new values into the descriptor, {@code state = DECIDED} (release): the commit point. Apply per
 *       element between an odd and an even {@code seq}, unlock the elements, {@code IDLE}, release the claim.</li>
 *   <li>T5. Recovery: a waiter that finds an element's lock held by a dead process first takes that process's
 *       descriptor claim; if the descriptor is that incarnation's and not {@code IDLE}, it takes over, one CAS each,
 *       the listed elements still locked by the dead reference, re-applies their writes when {@code DECIDED}
 *       (idempotent), unlocks them, and stores {@code IDLE}. Only then does it take its own element, which the
 *       dead process held for a plain {@code update} if it is still locked ({@link StructBase} recovers that).</li>
 * </ol>
 * <ol start="6">
 *   <li>T6. A transaction that writes one struct only skips the descriptor: it locks the struct, validates, and
 *       commits through the struct's redo copy as {@code update} does ({@link StructBase}: the {@code redoMark} is
 *       the commit point, and a survivor re-applies or drops it the same way).</li>
 * </ol>
 * Before the commit point nothing is written to the structs, after it every locked element is re-applied: a
 * transaction is all or nothing, across processes and crashes. Readers never see a half-applied transaction: each
 * element changes under its seqlock, and a body re-validates all it read at every read (opacity).
 */
final class StructTransactions {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    static final int SLOTS = 64;
    static final int MAX_ELEMENTS = 32;
    static final int MAX_WRITES = 64;
    static final long CLAIM = 0;
    static final long TX_REF = 8;
    static final long STATE = 16;
    static final long ELEMENT_COUNT = 24;
    static final long WRITE_COUNT = 32;
    static final long ELEMENTS = 64;
    static final long WRITES = ELEMENTS + 8L * MAX_ELEMENTS;
    static final long DESCRIPTOR_BYTES = StructLayout.align(WRITES + 16L * MAX_WRITES, 128);
    static final long TABLE_BYTES = SLOTS * DESCRIPTOR_BYTES;
    static final long IDLE = 0;
    static final long LOCKING = 1;
    static final long DECIDED = 2;
    /** Marks a 4-byte field in a write's offset word. */
    static final long INT_WRITE = 1L << 62;

    private final StructArray<?> array;
    private final SharedRegion region;
    private final MemorySegment segment;
    private final ReentrantLock commitLock = new ReentrantLock();

    StructTransactions(StructArray<?> array) {
        this.array = array;
        this.region = array.region;
        this.segment = array.segment;
    }

    private static long descriptor(int slot) {
        return StructArray.DESCRIPTORS_OFFSET + slot * DESCRIPTOR_BYTES;
    }

    private long elementBase(long index) {
        return StructArray.ELEMENTS_OFFSET + index * array.type.layout.stride;
    }

    private static int slotOf(long ref) {
        return (int) ref - 1;
    }

    /** T1-T4. {@return false when validation failed (T3)}; {@code tx.blockedBy} names a dead holder to recover. */
    boolean commit(Tx tx) {
        long[] elements = tx.writeElements();
        if (elements.length > MAX_ELEMENTS || tx.writeCount() > MAX_WRITES) {
            throw new IllegalStateException("a transaction on '" + array.name() + "' writes " + elements.length
                    + " structs and " + tx.writeCount() + " fields; at most " + MAX_ELEMENTS + " and " + MAX_WRITES);
        }
        if (elements.length == 1) {
            return commitAlone(tx, elements[0]);
        }
        long self = region.participantRef();
        long desc = descriptor(slotOf(self));
        commitLock.lock();
        try {
            claim(desc);
            try {
                long stale = (long) LONG.getVolatile(segment, desc + TX_REF);
                if (stale != self && (long) LONG.getVolatile(segment, desc + STATE) != IDLE) {
                    finish(desc, stale); // T5 for this slot's previous incarnation
                }
                LONG.set(segment, desc + TX_REF, self);
                LONG.set(segment, desc + ELEMENT_COUNT, (long) elements.length);
                for (int i = 0; i < elements.length; i++) {
                    LONG.set(segment, desc + ELEMENTS + 8L * i, elements[i]);
                }
                LONG.set(segment, desc + WRITE_COUNT, 0L);
                LONG.setRelease(segment, desc + STATE, LOCKING);
                int locked = 0;
                try {
                    for (long e : elements) {
                        lockElement(e);
                        locked++;
                        CrashPoints.reach("tx.locked");
                    }
                    if (!tx.validate(elements)) {
                        return false;
                    }
                    int n = tx.writeTo(segment, desc + WRITES);
                    LONG.set(segment, desc + WRITE_COUNT, (long) n);
                    LONG.setRelease(segment, desc + STATE, DECIDED);
                    CrashPoints.reach("tx.decided");
                    for (long e : elements) {
                        applyElement(desc, e);
                        CrashPoints.reach("tx.applied");
                    }
                    return true;
                } finally {
                    for (int i = 0; i < locked; i++) {
                        OwnerLock.release(segment, elementBase(elements[i]) + StructLayout.LOCK_OFFSET);
                    }
                    LONG.setRelease(segment, desc + STATE, IDLE);
                }
            } finally {
                OwnerLock.release(segment, desc + CLAIM);
            }
        } finally {
            commitLock.unlock();
        }
    }

    /** T6: one struct written: its lock, validation, then {@code update}'s redo copy; no descriptor. */
    private boolean commitAlone(Tx tx, long element) {
        long[] locked = {element};
        lockElement(element);
        try {
            CrashPoints.reach("tx.alone.locked");
            if (!tx.validate(locked)) {
                return false;
            }
            ((StructBase) array.get((int) element)).commitAlone(tx);
            return true;
        } finally {
            OwnerLock.release(segment, elementBase(element) + StructLayout.LOCK_OFFSET);
        }
    }

    /** Takes element {@code index}'s lock: a dead holder's transaction is finished first (T5). */
    void lockElement(long index) {
        long dead = OwnerLock.acquire(region, segment, elementBase(index) + StructLayout.LOCK_OFFSET,
                array.lockTimeoutNanos, "struct " + array.name() + "[" + index + "]", this::recoverTransactionOf);
        if (dead != OwnerLock.CLEAN) {
            ((StructBase) array.get((int) index)).recoverUpdate();
        }
    }

    /** Takes and drops element {@code index}'s lock: waits out a live writer, recovers a dead one. */
    void awaitElement(long index) {
        lockElement(index);
        OwnerLock.release(segment, elementBase(index) + StructLayout.LOCK_OFFSET);
    }

    /** T5, called by a waiter before it takes an element over from {@code deadRef}. */
    void recoverTransactionOf(long deadRef) {
        int slot = slotOf(deadRef);
        if (slot < 0 || slot >= SLOTS) {
            return;
        }
        long desc = descriptor(slot);
        if ((long) LONG.getVolatile(segment, desc + TX_REF) != deadRef
                || (long) LONG.getVolatile(segment, desc + STATE) == IDLE) {
            return;
        }
        claim(desc);
        try {
            finish(desc, deadRef);
        } finally {
            OwnerLock.release(segment, desc + CLAIM);
        }
    }

    private void claim(long desc) {
        OwnerLock.acquire(region, segment, desc + CLAIM, array.lockTimeoutNanos, "transaction descriptor "
                + (desc - StructArray.DESCRIPTORS_OFFSET) / DESCRIPTOR_BYTES + " of '" + array.name() + "'");
    }

    /** Holding the claim: finishes (DECIDED) or drops (LOCKING) the transaction of {@code deadRef}. */
    private void finish(long desc, long deadRef) {
        if ((long) LONG.getVolatile(segment, desc + TX_REF) != deadRef) {
            return;
        }
        long state = (long) LONG.getVolatile(segment, desc + STATE);
        long count = (long) LONG.getVolatile(segment, desc + ELEMENT_COUNT);
        if (state == IDLE) {
            return;
        }
        if (state != LOCKING && state != DECIDED || count < 0 || count > MAX_ELEMENTS) {
            throw BlockHeader.corrupt("struct array '" + array.name() + "'", "descriptor state=" + state
                    + " elementCount=" + count);
        }
        long self = region.participantRef();
        for (int i = 0; i < count; i++) {
            long e = (long) LONG.get(segment, desc + ELEMENTS + 8L * i);
            if (e < 0 || e >= array.length()) {
                throw BlockHeader.corrupt("struct array '" + array.name() + "'", "descriptor element=" + e);
            }
            long lock = elementBase(e) + StructLayout.LOCK_OFFSET;
            if ((boolean) LONG.compareAndSet(segment, lock, deadRef, self)) {
                if (state == DECIDED) {
                    applyElement(desc, e);
                }
                OwnerLock.release(segment, lock);
            }
        }
        LONG.setRelease(segment, desc + STATE, IDLE);
        array.recoveries.incrementAndGet();
    }

    /** Writes the descriptor's values for element {@code e} between an odd and an even {@code seq}. Idempotent. */
    private void applyElement(long desc, long e) {
        long base = elementBase(e);
        long seq = (long) LONG.getVolatile(segment, base + StructLayout.SEQ_OFFSET);
        if ((seq & 1) == 0) {
            LONG.setVolatile(segment, base + StructLayout.SEQ_OFFSET, ++seq);
            VarHandle.storeStoreFence();
        }
        long n = (long) LONG.getVolatile(segment, desc + WRITE_COUNT);
        long stride = array.type.layout.stride;
        for (int i = 0; i < n && i < MAX_WRITES; i++) {
            long word = (long) LONG.get(segment, desc + WRITES + 16L * i);
            long offset = word & ~INT_WRITE;
            if (offset < base || offset >= base + stride) {
                continue;
            }
            long value = (long) LONG.get(segment, desc + WRITES + 16L * i + 8);
            if ((word & INT_WRITE) != 0) {
                INT.setRelease(segment, offset, (int) value);
            } else {
                LONG.setRelease(segment, offset, value);
            }
        }
        LONG.setRelease(segment, base + StructLayout.SEQ_OFFSET, seq + 1);
    }
}
