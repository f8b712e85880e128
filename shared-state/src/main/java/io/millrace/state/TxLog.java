package io.millrace.state;

import io.millrace.shm.RegionSpec;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The decisions of transactions that write in several regions ({@link Transaction}): region {@value #REGION} of
 * the directory, created by the first process that needs it, with {@value #RECORDS} records of 64 bytes (and the
 * {@link StatsTable} of those transactions' sites):
 * <pre>
 *   0 owner ({@link OwnerLock} word: the committer) | 8 serial | 16 state: IDLE 0, LOCKING 1, DECIDED 2
 *   24 pending: the serial's low 48 bits, then a bit per part (16) whose region descriptor links the record and is
 *      not yet resolved (one word, so that a survivor clears its bit only of the transaction it resolved)
 * </pre>
 * <ol>
 *   <li>L1. Acquire: a record whose owner is 0 (one CAS), or whose owner is dead and that was never decided or has no
 *       part pending; its serial goes up by one, {@code LOCKING}. A part's link is (record, part, serial).</li>
 *   <li>L2. A part's descriptor is written with its link first, then its bit set in {@code pending}: a bit names a
 *       part that a survivor of its region will resolve.</li>
 *   <li>L3. {@code DECIDED} (release), once every part has its redo records: the one commit point of all parts.</li>
 *   <li>L4. The committer clears each part's bit once the part is released, then frees the record; a survivor that
 *       finishes or drops a dead committer's part (as its region's own descriptor says, {@link Descriptors} C5)
 *       clears that part's bit.</li>
 * </ol>
 * Decided means {@code serial} equal to the link's and {@code DECIDED}. A decided record is reused only with nothing
 * pending, and a decided transaction keeps the bit of every unresolved part: so a link whose serial is no longer
 * the record's belongs to a transaction that was never decided (a dead owner decides nothing more), and is dropped.
 * A decided record stays taken while a part of it is unresolved: until a process needs that part's items, or its
 * slot's next incarnation commits in that region. A committer killed between a part's {@code IDLE} and the clearing
 * of its bit leaks the record (two stores apart; no harm but one record of {@value #RECORDS}, and {@link #close}
 * looks past such a bit: it reads the part's descriptor); killed after, its record has nothing pending and is taken
 * again.
 */
final class TxLog {
    static final String REGION = "millrace-transactions";
    static final String BLOCK = "txlog";
    static final int RECORDS = 256;
    static final long RECORD_BYTES = 64;
    private static final long OWNER = 0;
    private static final long SERIAL = 8;
    private static final long STATE = 16;
    private static final long PENDING = 24;
    /** Parts of one transaction at most: the low bits of {@code pending}. */
    static final int MAX_PARTS = 16;
    private static final long PARTS = (1L << MAX_PARTS) - 1;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(10);
    private static final ConcurrentHashMap<Path, TxLog> OPEN = new ConcurrentHashMap<>();

    private final SharedRegion region;
    private final MemorySegment block;
    /** The conflict statistics of sites that wrote in several structures ({@code millrace stat} shows them). */
    final StatsTable stats;

    private TxLog(SharedRegion region) {
        this.region = region;
        this.block = region.block(BLOCK);
        this.stats = new StatsTable(region.block(StatsTable.BLOCK));
        if (block.byteSize() != RECORDS * RECORD_BYTES) {
            throw BlockHeader.corrupt("transaction log '" + region.path() + "'", "blockSize=" + block.byteSize());
        }
    }

    /** {@return this process's handle of the directory's log}, created or attached on first use, kept open */
    static TxLog of(ShmDirectory directory) {
        return OPEN.computeIfAbsent(directory.path().toAbsolutePath(), p -> new TxLog(directory.createOrAttach(
                RegionSpec.named(REGION).block(BLOCK, (int) (RECORDS * RECORD_BYTES))
                        .block(StatsTable.BLOCK, (int) StatsTable.BYTES).build(), ATTACH_TIMEOUT)));
    }

    /**
     * Closes this process's handle of the directory's log; {@return whether its file was removed}: when no live
     * process is attached to it (as {@link ShmDirectory#cleanPlan()} decides) and no decided part is left to finish.
     */
    static boolean close(ShmDirectory directory) {
        TxLog log = OPEN.remove(directory.path().toAbsolutePath());
        if (log != null) {
            log.region.close();
        }
        return directory.cleanPlan().stream().anyMatch(decision -> decision.name().equals(REGION)
                && decision.remove() && !partToFinish(directory) && directory.unlink(REGION));
    }

    /**
     * {@return whether a decided transaction of the directory's log has a part to finish}: a record decided with a
     * part's bit set whose part's descriptor, in a struct array or map of the directory, still links it and is not
     * {@code IDLE} (each kind reads its own descriptors: the log reads no layout of theirs). The log must then stay,
     * or a fresh one (serial 0) would make a survivor drop that part. A bit whose descriptor is {@code IDLE} (the
     * committer killed between the two) or whose region is gone asks nothing. A region that cannot be read counts as
     * linking (the log stays).
     */
    private static boolean partToFinish(ShmDirectory directory) {
        long[] decided = directory.inspectBlock(REGION, BLOCK, TxLog::decidedPending).orElse(null);
        if (decided == null) {
            return true; // not a log of this layout: keep it
        }
        if (decided.length == 0) {
            return false;
        }
        for (String name : directory.list()) {
            if (name.equals(REGION)) {
                continue;
            }
            try {
                if (StructTransactions.linksAny(directory, name, decided)
                        || MapTransactions.linksAny(directory, name, decided)) {
                    return true;
                }
            } catch (RuntimeException unreadable) {
                if (directory.list().contains(name)) {
                    return true; // a region there that cannot be read: it might link a part
                }
            }
        }
        return false;
    }

    /**
     * {@return the records of {@code block} decided with a part unresolved}: index and serial, in pairs
     */
    private static long[] decidedPending(MemorySegment block) {
        long[] found = new long[0];
        for (int r = 0; r < RECORDS; r++) {
            long at = r * RECORD_BYTES;
            if ((long) LONG.getVolatile(block, at + STATE) == Descriptors.DECIDED
                    && ((long) LONG.getVolatile(block, at + PENDING) & PARTS) != 0) {
                found = Arrays.copyOf(found, found.length + 2);
                found[found.length - 2] = r;
                found[found.length - 1] = (long) LONG.getVolatile(block, at + SERIAL);
            }
        }
        return found;
    }

    /** L1. {@return the link of part 0 of the record acquired} (record and part + 1 in the low bits; serial apart) */
    long acquire() {
        long self = region.participantRef();
        int start = Math.floorMod(Descriptors.slotOf(self) * 4, RECORDS);
        for (int round = 0; ; round++) {
            for (int n = 0; n < RECORDS; n++) {
                int r = (start + n) % RECORDS;
                long at = r * RECORD_BYTES;
                long owner = (long) LONG.getVolatile(block, at + OWNER);
                if (owner == 0 ? (boolean) LONG.compareAndSet(block, at + OWNER, 0L, self)
                        : owner != self && abandoned(at, owner)
                        && (boolean) LONG.compareAndSet(block, at + OWNER, owner, self)) {
                    long serial = (long) LONG.get(block, at + SERIAL) + 1;
                    LONG.setRelease(block, at + SERIAL, serial);
                    LONG.setRelease(block, at + PENDING, serial << MAX_PARTS);
                    LONG.setRelease(block, at + STATE, Descriptors.LOCKING);
                    return (long) r << 8;
                }
            }
            if (round == 1_000) {
                throw new SharedStateException(SharedStateException.Reason.LOCK_TIMEOUT, "transaction log of '"
                        + region.directory().path() + "' has no free record of records=" + RECORDS);
            }
            Thread.yield();
        }
    }

    /** {@return whether the record at {@code at}, held by {@code owner}, is a dead owner's with nothing pending} */
    private boolean abandoned(long at, long owner) {
        return (((long) LONG.getVolatile(block, at + PENDING) & PARTS) == 0
                || (long) LONG.getVolatile(block, at + STATE) != Descriptors.DECIDED) && !alive(owner);
    }

    /** {@return how many records {@link #acquire} could not take now}: held by a live owner or pending parts */
    int recordsInUse() {
        int used = 0;
        for (int r = 0; r < RECORDS; r++) {
            long at = r * RECORD_BYTES;
            long owner = (long) LONG.getVolatile(block, at + OWNER);
            if (owner != 0 && !abandoned(at, owner)) {
                used++;
            }
        }
        return used;
    }

    private boolean alive(long owner) {
        try {
            return region.isParticipantAlive(owner);
        } catch (IllegalArgumentException corrupt) {
            return false;
        }
    }

    private static long at(long link) {
        int r = (int) (link >>> 8);
        if (r < 0 || r >= RECORDS) {
            throw new SharedStateException(SharedStateException.Reason.CORRUPT, "transaction link=" + link
                    + " names no record of records=" + RECORDS);
        }
        return r * RECORD_BYTES;
    }

    /** {@return the serial of the record {@code link} names} (the committer's, read after {@link #acquire}) */
    long serial(long link) {
        return (long) LONG.getVolatile(block, at(link) + SERIAL);
    }

    /** L2: part {@code part} (0 to {@value #MAX_PARTS} - 1) of the record's transaction is linked. */
    void pending(long link, int part) {
        long unused = (long) LONG.getAndBitwiseOr(block, at(link) + PENDING, 1L << part);
    }

    /** L3. */
    void decide(long link) {
        LONG.setRelease(block, at(link) + STATE, Descriptors.DECIDED);
        CrashPoints.reach("mtx.decided");
    }

    /** {@return whether the transaction of {@code link} at {@code serial} was decided} */
    boolean decided(long link, long serial) {
        long at = at(link);
        long state = (long) LONG.getAcquire(block, at + STATE); // then the serial: a reuse writes it before state
        return state == Descriptors.DECIDED && (long) LONG.getVolatile(block, at + SERIAL) == serial;
    }

    /** L4: the part {@code link} names is resolved (no-op when the record moved on). */
    void resolved(long link, long serial) {
        long at = at(link);
        int part = (int) (link & 0xff) - 1;
        if (part < 0 || part >= MAX_PARTS) {
            throw new SharedStateException(SharedStateException.Reason.CORRUPT, "transaction link=" + link
                    + " names no part");
        }
        long word;
        do {
            word = (long) LONG.getVolatile(block, at + PENDING);
            if (word >>> MAX_PARTS != (serial & (-1L >>> MAX_PARTS))) {
                return; // the record moved on
            }
        } while (!(boolean) LONG.compareAndSet(block, at + PENDING, word, word & ~(1L << part)));
    }

    /** L4 by the committer: the record free (each part's bit was cleared as the part ended: {@link #resolved}). */
    void release(long link) {
        long at = at(link);
        LONG.setRelease(block, at + PENDING, (long) LONG.get(block, at + SERIAL) << MAX_PARTS);
        LONG.setRelease(block, at + STATE, Descriptors.IDLE);
        OwnerLock.release(block, at + OWNER);
    }
}
