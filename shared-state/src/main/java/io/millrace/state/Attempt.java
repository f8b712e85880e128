package io.millrace.state;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * One attempt of a transaction's part in one structure ({@link Tx}: the structs of an array, {@link MapTx}: the
 * entries of a map), as {@link Transactions} drives it alone or {@link Transaction} with the parts of other regions.
 */
abstract class Attempt {
    /** No locks held: what a read-only attempt validates against. */
    static final long[] NONE = new long[0];

    /** The mixed transaction this attempt is a part of, or null: told after each read, for opacity across parts. */
    Transaction outer;
    /** The items the commit locks (ascending), set by {@link #prepareItems}; then the descriptor and locks held. */
    long[] items = NONE;
    long desc;
    int locked;

    /** The read set: each item read (a struct's element, a map's segment) and its version then. */
    private long[] readItems = new long[8];
    private long[] readVersions = new long[8];
    private int reads;
    /** An item a dead process holds, met by {@link #validate}: recovered before the next attempt; else -1. */
    long blockedBy = -1;

    /** {@return whether the attempt committed}: a read-only one validates, a writing one commits. */
    abstract boolean commit();

    /** {@return the item's version now} (a volatile read) */
    abstract long versionOf(long item);

    /** {@return the item's lock word now}: 0 when free */
    abstract long holderOf(long item);

    /** {@return whether the holder of a lock word lives} */
    abstract boolean isAlive(long holder);

    /** Takes and drops the item's lock: waits out a live holder, recovers a dead one. */
    abstract void await(long item);

    /** Empties the read set, for the next attempt. */
    final void resetReads() {
        reads = 0;
        blockedBy = -1;
        items = NONE;
    }

    /**
     * Adds the item's version to the read set and re-validates every earlier read, of this part and of the other
     * parts of a mixed transaction (opacity): {@link Tx.Conflict} when one changed.
     */
    final void record(long item, long version) {
        boolean known = false;
        for (int i = 0; i < reads; i++) {
            if (readItems[i] == item) {
                if (readVersions[i] != version) {
                    throw Tx.Conflict.INSTANCE;
                }
                known = true;
            } else if (versionOf(readItems[i]) != readVersions[i]) {
                throw Tx.Conflict.INSTANCE;
            }
        }
        if (!known) {
            if (reads == readItems.length) {
                readItems = Arrays.copyOf(readItems, reads * 2);
                readVersions = Arrays.copyOf(readVersions, reads * 2);
            }
            readItems[reads] = item;
            readVersions[reads++] = version;
        }
        if (outer != null) {
            outer.checkOthers(this);
        }
    }

    /** {@return whether every read so far is still current}: what another part's read checks (opacity). */
    final boolean readsCurrent() {
        for (int i = 0; i < reads; i++) {
            if (versionOf(readItems[i]) != readVersions[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * C3, holding the locks of {@code locked} (ascending): {@return whether every read is still current and no item
     * read but not locked here is locked} (by a dead process: {@link #blockedBy}, recovered before the next attempt).
     * An item not locked here is checked free first, then unchanged: in the other order another commit could lock,
     * apply and unlock it between the two reads, and both transactions would commit over one snapshot (write skew).
     */
    final boolean validate(long[] locked) {
        for (int i = 0; i < reads; i++) {
            long item = readItems[i];
            if (Arrays.binarySearch(locked, item) < 0) {
                long holder = holderOf(item);
                if (holder != 0) {
                    if (!isAlive(holder)) {
                        blockedBy = item;
                    }
                    return false;
                }
            }
            if (versionOf(item) != readVersions[i]) {
                return false;
            }
        }
        return true;
    }

    /** After a failed {@link #commit}: recovers what a dead process holds that the attempt read, if anything. */
    final void recoverBlocked() {
        if (blockedBy >= 0) {
            await(blockedBy);
        }
    }

    /** {@return whether the attempt buffered a write} */
    abstract boolean writes();

    /** Sets {@link #items} to what the writes lock, after checking the descriptor's limits. */
    abstract void prepareItems();

    /** {@return the engine of the attempt's region} */
    abstract Descriptors engine();

    /** {@return the conflict statistics of the attempt's structure} */
    abstract StatsTable stats();

    /** Empties the descriptor's redo records, before {@code LOCKING}. */
    abstract void clearRedo(MemorySegment table, long desc);

    /** Writes the redo records into the descriptor, before the commit point. */
    abstract void writeRedo(MemorySegment table, long desc);

    /** Sorts the first {@code n} of {@code values} and moves each distinct one to the front; {@return how many} */
    static int sortDistinct(long[] values, int n) {
        if (n == 2) { // the usual transfer: no sort call
            if (values[0] == values[1]) {
                return 1;
            }
            if (values[0] > values[1]) {
                long t = values[0];
                values[0] = values[1];
                values[1] = t;
            }
            return 2;
        }
        Arrays.sort(values, 0, n);
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || values[i] != values[i - 1]) {
                values[distinct++] = values[i];
            }
        }
        return distinct;
    }

    /** {@return the values sorted, each once} */
    static long[] distinctSorted(long[] values) {
        int distinct = sortDistinct(values, values.length);
        return distinct == values.length ? values : Arrays.copyOf(values, distinct);
    }
}
