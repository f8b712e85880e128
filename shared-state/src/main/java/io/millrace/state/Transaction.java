package io.millrace.state;

import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One attempt of a transaction over several structures ({@link Transactions#atomic(Transactions.AtomicBlock)}):
 * struct arrays and maps of one directory, each reached through its part ({@link #on(StructArray)},
 * {@link #on(SharedMap)}). Reads of all parts together see one instant (each read re-validates every part's reads);
 * the writes of all parts commit together or not at all, across processes and crashes. Valid only inside its block.
 *
 * <pre>{@code
 * Transactions.atomic(tx -> {
 *     Tx structs = tx.on(accounts);
 *     MapTx<Long, Long> entries = tx.on(ledger);
 *     long balance = structs.getLong(accounts.get(a), "balance");
 *     structs.setLong(accounts.get(a), "balance", balance - amount);
 *     entries.put(b, entries.get(b) + amount);
 * });
 * }</pre>
 */
public final class Transaction {
    private final List<Attempt> parts = new ArrayList<>(2);
    /** The call's log handle, shared by all its attempts. */
    final Log log;
    private ShmDirectory directory;

    Transaction(Log log) {
        this.log = log;
    }

    /**
     * The directory log of one {@code atomic} call: looked up ({@link TxLog#of}, which allocates) by the first of its
     * attempts that needs it, for its stats or its commit, and kept for the later ones. It lives as long as the call
     * (no thread's state holds it, so that a closed log is not kept): a directory's log is closed only when no
     * transaction over it runs ({@link Transactions#closeLog}).
     */
    static final class Log {
        private ShmDirectory directory;
        private TxLog log;
        /** How many times the call looked its log up. */
        int lookUps;

        /** {@return the log of {@code directory}}, looked up once per call (again only for another directory) */
        TxLog of(ShmDirectory directory) {
            if (directory != this.directory) {
                log = TxLog.of(directory);
                this.directory = directory;
                lookUps++;
            }
            return log;
        }
    }

    /**
     * The part of this transaction on {@code array}: the same one for every call in an attempt.
     *
     * @param array a struct array of the transaction's directory
     * @return its part, whose reads and writes belong to this transaction
     * @throws IllegalArgumentException when the array lies in another directory than the transaction's other parts,
     *                                  or is a second handle of a region the transaction reaches already
     * @throws IllegalStateException    when called outside the transaction's block (after it, or on another thread)
     */
    public Tx on(StructArray<?> array) {
        Objects.requireNonNull(array, "array");
        checkInBlock("'" + array.name() + "'");
        for (Attempt part : parts) {
            if (part instanceof Tx tx && tx.array == array) {
                return tx;
            }
        }
        array.checkOpen();
        join(array.region, "'" + array.name() + "'");
        Tx tx = new Tx(array);
        tx.outer = this;
        parts.add(tx);
        return tx;
    }

    /**
     * The part of this transaction on {@code map}: the same one for every call in an attempt.
     *
     * @param map a map of the transaction's directory
     * @param <K> the key type
     * @param <V> the value type
     * @return its part, whose reads and writes belong to this transaction
     * @throws IllegalArgumentException when the map lies in another directory than the transaction's other parts,
     *                                  or is a second handle of a region the transaction reaches already
     * @throws IllegalStateException    when called outside the transaction's block (after it, or on another thread)
     */
    @SuppressWarnings("unchecked")
    public <K, V> MapTx<K, V> on(SharedMap<K, V> map) {
        Objects.requireNonNull(map, "map");
        checkInBlock("map '" + map.name() + "'");
        for (Attempt part : parts) {
            if (part instanceof MapTx<?, ?> tx && tx.map == map) {
                return (MapTx<K, V>) tx;
            }
        }
        map.checkOpen();
        join(map.region(), "map '" + map.name() + "'");
        MapTx<K, V> tx = new MapTx<>(map);
        tx.outer = this;
        parts.add(tx);
        return tx;
    }

    /** An attempt's parts are taken only in its block: a part taken after would never commit. */
    private void checkInBlock(String what) {
        if (!Transactions.isCurrent(this)) {
            throw new IllegalStateException("a transaction is used outside its block (after it ended, or on another"
                    + " thread): on(" + what + ")");
        }
    }

    private void join(SharedRegion region, String what) {
        ShmDirectory of = region.directory();
        for (Attempt part : parts) {
            if (part.engine().region.path().equals(region.path())) {
                throw new IllegalArgumentException("a transaction reaches region '" + region.name() + "' through two"
                        + " handles: " + what + " and another opened on the same file; use one handle");
            }
        }
        if (directory == null) {
            directory = of;
        } else if (!directory.path().toAbsolutePath().equals(of.path().toAbsolutePath())) {
            throw new IllegalArgumentException("a transaction spans one directory: " + what + " lies in directory="
                    + of.path() + ", its other parts in directory=" + directory.path());
        }
        if (parts.size() == TxLog.MAX_PARTS) {
            throw new IllegalArgumentException("a transaction spans at most " + TxLog.MAX_PARTS + " structures: "
                    + what + " would be one more");
        }
    }

    /** {@return the directory of the structures reached so far}, or null */
    ShmDirectory directory() {
        return directory;
    }

    /**
     * {@return the conflict statistics table of this attempt}: the directory log's once an attempt of its site wrote
     * in several structures ({@code site.spansSeveral}; its commit attached the log anyway): every later attempt of
     * the site counts there, aborted early or not; else the table of the first structure it reached, so that a site
     * that never writes several needs no log; null when it reached none
     */
    StatsTable stats(Transactions.Counters site) {
        if (parts.isEmpty()) {
            return null;
        }
        if (!site.spansSeveral) {
            int writing = 0;
            for (Attempt part : parts) {
                writing += part.writes() ? 1 : 0;
            }
            if (writing > 1) {
                site.spansSeveral = true; // only ever set: a racing attempt cannot clear it
            }
        }
        return site.spansSeveral ? log.of(directory).stats : parts.getFirst().stats();
    }

    /** After a read of {@code reader}: every other part's reads still current (opacity across parts). */
    void checkOthers(Attempt reader) {
        for (Attempt part : parts) {
            if (part != reader && !part.readsCurrent()) {
                throw Tx.Conflict.INSTANCE;
            }
        }
    }

    /**
     * Commits every part: alone through its own region when only one part was used or written (the others' reads
     * validated under its locks); else each written region's descriptor linked to one {@link TxLog} record, whose
     * decision is the commit point of all ({@link Descriptors}, commit across regions).
     */
    boolean commit() {
        List<Attempt> writing = new ArrayList<>(parts.size());
        for (Attempt part : parts) {
            if (part.writes()) {
                writing.add(part);
            }
        }
        if (parts.size() == 1) {
            return parts.getFirst().commit();
        }
        if (writing.isEmpty()) {
            for (Attempt part : parts) {
                if (!part.validate(Attempt.NONE)) {
                    return false;
                }
            }
            return true;
        }
        for (Attempt part : writing) {
            part.prepareItems();
        }
        if (writing.size() == 1) { // one region written: its own descriptor decides, the others' reads validated
            return writing.getFirst().engine().commitLocal(writing.getFirst(), parts);
        }
        writing.sort(Comparator.comparing(part -> part.engine().region.name())); // one lock order for every process
        TxLog log = this.log.of(directory);
        long record = log.acquire();
        long serial = log.serial(record);
        int begun = 0;
        try {
            for (int i = 0; i < writing.size(); i++) {
                Attempt part = writing.get(i);
                part.engine().begin(part, record | (i + 1), serial);
                begun++;
                log.pending(record, i);
            }
            for (Attempt part : writing) {
                part.engine().lockAll(part);
            }
            for (Attempt part : parts) {
                if (!part.validate(part.writes() ? part.items : Attempt.NONE)) {
                    return false;
                }
            }
            for (Attempt part : writing) {
                part.writeRedo(part.engine().table, part.desc);
            }
            log.decide(record);
            for (Attempt part : writing) {
                part.engine().applyAll(part);
                CrashPoints.reach("mtx.applied");
            }
            return true;
        } finally {
            for (int i = begun - 1; i >= 0; i--) {
                writing.get(i).engine().end(writing.get(i));
                CrashPoints.reach("mtx.partEnded"); // a kill here leaves the part's bit with its descriptor IDLE
                log.resolved(record | (i + 1), serial); // a kill from here on leaves the record free to take
            }
            CrashPoints.reach("mtx.ended");
            log.release(record);
        }
    }

    void recoverBlocked() {
        for (Attempt part : parts) {
            part.recoverBlocked();
        }
    }
}
