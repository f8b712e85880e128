package io.millrace.state;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The conflict statistics of the transactions on one struct array or map, per site, summed over every process that
 * ran them: block {@value #BLOCK} of its region.
 *
 * <pre>
 *   64 rows x 128 B: 0 siteHash (8, 0: free; claimed by CAS) | 8 commits | 16 aborts | 24 retried | 32 abortNanos
 *                    | 40 nameLength (4, stored last with release; 0: not yet named) | 44 name (UTF-8, at most 84 B)
 * </pre>
 * A site takes the row its name's hash probes to first (linear probing); counters grow by atomic adds, so several
 * processes count into one row. When the 64 rows are taken, further sites are not counted here (their process's
 * {@link Transactions#stats()} still has them). A process killed between the claim and the name leaves a row that
 * reads as {@code ?} until the site's next process names it (after {@link #NAME_WAIT_NANOS}).
 */
final class StatsTable {
    static final String BLOCK = "txstats";
    static final int ROWS = 64;
    static final long ROW = 128;
    static final long BYTES = ROWS * ROW;
    private static final long HASH = 0;
    private static final long COMMITS = 8;
    private static final long ABORTS = 16;
    private static final long RETRIED = 24;
    private static final long ABORT_NANOS = 32;
    static final long NAME_LENGTH = 40;
    private static final long NAME = 44;
    private static final int MAX_NAME = (int) (ROW - NAME);
    private static final long NO_ROW = -1;
    /** How long a row claimed for a site's hash may stay unnamed before another process names it. */
    static final long NAME_WAIT_NANOS = 50_000_000L;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    private final MemorySegment table;
    private final ConcurrentHashMap<String, Long> rows = new ConcurrentHashMap<>();
    /** The last site asked for and its row: most callers ask for one site again and again. */
    private volatile Cached last = new Cached("", NO_ROW);

    private record Cached(String site, long row) {
    }

    StatsTable(MemorySegment table) {
        this.table = table;
    }

    /** The row of {@code site}, claimed on first use; {@link #NO_ROW} when the table is full. */
    long row(String site) {
        Cached cached = last;
        if (cached.site == site) { // sites are one String instance per site in a process
            return cached.row;
        }
        long row = rows.computeIfAbsent(site, this::claim);
        last = new Cached(site, row);
        return row;
    }

    private long claim(String site) {
        long hash = site.hashCode() * 0x9E3779B97F4A7C15L | 1;
        byte[] name = site.getBytes(StandardCharsets.UTF_8);
        if (name.length > MAX_NAME) { // keep the tail: the class name's most telling part
            name = java.util.Arrays.copyOfRange(name, name.length - MAX_NAME, name.length);
        }
        for (int i = 0; i < ROWS; i++) {
            long row = ((hash >>> 8) + i & ROWS - 1) * ROW;
            long seen = (long) LONG.getVolatile(table, row + HASH);
            if (seen == 0 && (boolean) LONG.compareAndSet(table, row + HASH, 0L, hash)) {
                CrashPoints.reach("stats.claimed"); // once per site and process: not on a commit's path
                MemorySegment.copy(name, 0, table, ValueLayout.JAVA_BYTE, row + NAME, name.length);
                INT.setRelease(table, row + NAME_LENGTH, name.length);
                return row;
            }
            if ((seen == 0 ? (long) LONG.getVolatile(table, row + HASH) : seen) == hash && named(row, name)) {
                return row;
            }
        }
        return NO_ROW;
    }

    /**
     * {@return whether the row whose hash is {@code name}'s is {@code name}'s}: waits for its claimer to write the
     * name. A name still missing after {@link #NAME_WAIT_NANOS} is a claimer's killed (or stalled that long) between
     * its claim and its name: the row is taken as this site's and named, rather than a second row claimed for it
     * (which a claimer descheduled for a few microseconds on a loaded machine used to cause).
     */
    private boolean named(long row, byte[] name) {
        long deadline = 0;
        for (int spins = 0; (int) INT.getAcquire(table, row + NAME_LENGTH) == 0; spins++) {
            if (spins < 1_000) {
                Thread.onSpinWait(); // the claimer is writing the name
                continue;
            }
            long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + NAME_WAIT_NANOS;
            } else if (now - deadline > 0) {
                MemorySegment.copy(name, 0, table, ValueLayout.JAVA_BYTE, row + NAME, name.length);
                INT.setRelease(table, row + NAME_LENGTH, name.length);
                return true;
            }
            Thread.yield();
        }
        return (int) INT.getAcquire(table, row + NAME_LENGTH) == name.length
                && MemorySegment.mismatch(table, row + NAME, row + NAME + name.length, MemorySegment.ofArray(name), 0,
                name.length) == -1;
    }

    void committed(long row, int attempt) {
        if (row != NO_ROW) {
            long ignored = (long) LONG.getAndAdd(table, row + COMMITS, 1L);
            if (attempt > 1) {
                ignored = (long) LONG.getAndAdd(table, row + RETRIED, 1L);
            }
        }
    }

    void aborted(long row, long nanos) {
        if (row != NO_ROW) {
            long ignored = (long) LONG.getAndAdd(table, row + ABORTS, 1L);
            ignored = (long) LONG.getAndAdd(table, row + ABORT_NANOS, nanos);
        }
    }

    /** {@return the rows in use, read from {@code table} (possibly a read-only mapping)} */
    static List<TransactionStats> read(MemorySegment table) {
        List<TransactionStats> out = new ArrayList<>();
        for (int i = 0; i < ROWS && (i + 1) * ROW <= table.byteSize(); i++) {
            long row = i * ROW;
            if ((long) LONG.getVolatile(table, row + HASH) == 0) {
                continue;
            }
            int length = (int) INT.getAcquire(table, row + NAME_LENGTH);
            String site = length <= 0 || length > MAX_NAME ? "?"
                    : new String(table.asSlice(row + NAME, length).toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8);
            out.add(new TransactionStats(site, (long) LONG.getVolatile(table, row + COMMITS),
                    (long) LONG.getVolatile(table, row + ABORTS), (long) LONG.getVolatile(table, row + RETRIED),
                    (long) LONG.getVolatile(table, row + ABORT_NANOS)));
        }
        return out;
    }
}
