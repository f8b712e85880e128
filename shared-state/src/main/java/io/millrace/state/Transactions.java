package io.millrace.state;

import io.millrace.shm.ShmDirectory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Atomic blocks over the structs of a {@link StructArray}, the entries of a {@link SharedMap}, or both (and several
 * of each, of one directory: {@link #atomic(AtomicBlock)} with {@link Transaction#on}), across processes:
 *
 * <pre>{@code
 * Transactions.atomic(accounts, tx -> {
 *     long from = tx.getLong(accounts.get(a), "balance");
 *     if (from >= amount) {
 *         tx.setLong(accounts.get(a), "balance", from - amount);
 *         tx.setLong(accounts.get(b), "balance", tx.getLong(accounts.get(b), "balance") + amount);
 *     }
 * });
 * }</pre>
 *
 * Reads see a consistent snapshot; writes commit together or not at all; a conflict aborts the attempt and runs
 * the block again (bounded, with back-off), so the block must have no other side effects; an exception from the
 * block rolls the attempt back and propagates. A nested {@code atomic} on the same array joins the outer one, and
 * any on one array or map joins an outer {@link #atomic(AtomicBlock)}. A process killed anywhere in a commit leaves
 * no lock held and no half-applied transaction, in any region ({@link Descriptors}). Transactions are atomic against
 * each other, {@link Struct#update}, {@link Struct#snapshot} and the single-field writes, adds and compare-and-sets
 * of struct fields (which change the struct's version under its lock: a transaction that read the field retries
 * instead of losing the add).
 */
public final class Transactions {
    /** Attempts before {@code TX_CONFLICT}. */
    static final int MAX_ATTEMPTS = 10_000;
    /** The start of an attempt of a site not timed yet ({@link Counters#timed}). */
    private static final long UNTIMED = Long.MIN_VALUE;
    /** The thread's transaction in progress and its spare attempt: one look-up per block, no map entry churn. */
    private static final ThreadLocal<ThreadState> THREAD = ThreadLocal.withInitial(ThreadState::new);
    private static final ConcurrentHashMap<String, Counters> STATS = new ConcurrentHashMap<>();

    /** A block without a result. */
    @FunctionalInterface
    public interface Block {
        /**
         * @param tx the transaction
         * @throws Exception rolls the attempt back; propagated to the caller
         */
        void run(Tx tx) throws Exception;
    }

    /**
     * A block with a result.
     *
     * @param <R> the result
     */
    @FunctionalInterface
    public interface ValueBlock<R> {
        /**
         * @param tx the transaction
         * @return the result
         * @throws Exception rolls the attempt back; propagated to the caller
         */
        R run(Tx tx) throws Exception;
    }

    /**
     * A block over map entries, without a result.
     *
     * @param <K> the key type
     * @param <V> the value type
     */
    @FunctionalInterface
    public interface MapBlock<K, V> {
        /**
         * @param tx the transaction
         * @throws Exception rolls the attempt back; propagated to the caller
         */
        void run(MapTx<K, V> tx) throws Exception;
    }

    /**
     * A block over map entries with a result.
     *
     * @param <K> the key type
     * @param <V> the value type
     * @param <R> the result
     */
    @FunctionalInterface
    public interface MapValueBlock<K, V, R> {
        /**
         * @param tx the transaction
         * @return the result
         * @throws Exception rolls the attempt back; propagated to the caller
         */
        R run(MapTx<K, V> tx) throws Exception;
    }

    /** A block over several structures (struct arrays and maps of one directory), without a result. */
    @FunctionalInterface
    public interface AtomicBlock {
        /**
         * @param tx the transaction: {@code tx.on(array)}, {@code tx.on(map)} give its parts
         * @throws Exception rolls the attempt back; propagated to the caller
         */
        void run(Transaction tx) throws Exception;
    }

    /**
     * A block over several structures with a result.
     *
     * @param <R> the result
     */
    @FunctionalInterface
    public interface AtomicValueBlock<R> {
        /**
         * @param tx the transaction: {@code tx.on(array)}, {@code tx.on(map)} give its parts
         * @return the result
         * @throws Exception rolls the attempt back; propagated to the caller
         */
        R run(Transaction tx) throws Exception;
    }

    /** A thread's transaction state. */
    static final class ThreadState {
        /** The attempt whose block runs now (a {@link Tx}, {@link MapTx} or {@link Transaction}), or null. */
        Object current;
        /** The thread's last struct attempt, reused by its next one ({@link Tx#begin}). */
        Tx spare;
    }

    static final class Counters {
        final LongAdder commits = new LongAdder();
        final LongAdder aborts = new LongAdder();
        final LongAdder retried = new LongAdder();
        final LongAdder abortNanos = new LongAdder();
        /**
         * Set at the site's first abort in this process: from then on each attempt reads the clock at its start, so
         * that an abort counts its time; a site that never met a conflict reads no clock (a third of an uncontended
         * commit's time).
         */
        volatile boolean timed;
        /**
         * Set when an attempt of the site first reached several structures: from then on every attempt of it counts in
         * the directory log's table, so that one table holds the site's commits and aborts alike.
         */
        volatile boolean spansSeveral;
    }

    /**
     * A block class's site: where it was first run from ({@code Class.method:line} of the caller of
     * {@code atomic}), the same in every process, unlike a lambda class's name.
     */
    private static final ClassValue<Site> SITES = new ClassValue<>() {
        @Override
        protected Site computeValue(Class<?> type) {
            String self = Transactions.class.getName();
            String name = StackWalker.getInstance().walk(frames -> frames
                    .dropWhile(f -> !f.getClassName().equals(self)) // this ClassValue's frames
                    .dropWhile(f -> f.getClassName().equals(self))
                    .findFirst()
                    .map(f -> f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber())
                    .orElse(type.getName()));
            return new Site(name, STATS.computeIfAbsent(name, n -> new Counters()));
        }
    };

    /** A site's name and this process's counters for it. */
    private record Site(String name, Counters counters) {
    }

    private Transactions() {
    }

    /** {@return whether {@code tx} is the attempt whose block runs now on this thread} */
    static boolean isCurrent(Object tx) {
        return THREAD.get().current == tx;
    }

    private static Site site(Object block) {
        return SITES.get(block.getClass());
    }

    /**
     * Runs {@code block} atomically on {@code array}.
     *
     * @param array the structs the block reads and writes
     * @param block the block; may run several times
     * @throws SharedStateException {@code TX_CONFLICT} after {@value #MAX_ATTEMPTS} attempts, {@code LOCK_TIMEOUT}
     * @throws RuntimeException     what the block threw (wrapped when checked), nothing written
     */
    public static void atomic(StructArray<?> array, Block block) {
        Objects.requireNonNull(block, "block");
        run(array, site(block), block, Transactions::runBlock);
    }

    /**
     * As {@link #atomic}, returning the block's result from the attempt that committed.
     *
     * @param array the structs the block reads and writes
     * @param block the block; may run several times
     * @param <R>   the result type
     * @return the result of the attempt that committed
     * @throws SharedStateException {@code TX_CONFLICT}, {@code LOCK_TIMEOUT}
     */
    public static <R> R atomicGet(StructArray<?> array, ValueBlock<R> block) {
        Objects.requireNonNull(block, "block");
        return run(array, site(block), block, ValueBlock::run);
    }

    /**
     * Runs {@code block} atomically on the entries of {@code map}, as {@link #atomic(StructArray, Block)} on structs.
     *
     * @param map   the map the block reads and writes
     * @param block the block; may run several times
     * @param <K>   the key type
     * @param <V>   the value type
     * @throws SharedStateException {@code TX_CONFLICT}, {@code LOCK_TIMEOUT}, {@code MAP_FULL} (nothing written)
     * @throws RuntimeException     what the block threw (wrapped when checked), nothing written
     */
    public static <K, V> void atomic(SharedMap<K, V> map, MapBlock<K, V> block) {
        Objects.requireNonNull(block, "block");
        runMap(map, site(block), block, Transactions::runMapBlock);
    }

    /**
     * As {@link #atomic(SharedMap, MapBlock)}, returning the block's result from the attempt that committed.
     *
     * @param map   the map the block reads and writes
     * @param block the block; may run several times
     * @param <K>   the key type
     * @param <V>   the value type
     * @param <R>   the result type
     * @return the result of the attempt that committed
     * @throws SharedStateException {@code TX_CONFLICT}, {@code LOCK_TIMEOUT}, {@code MAP_FULL}
     */
    public static <K, V, R> R atomicGet(SharedMap<K, V> map, MapValueBlock<K, V, R> block) {
        Objects.requireNonNull(block, "block");
        return runMap(map, site(block), block, MapValueBlock::run);
    }

    /**
     * Runs {@code block} atomically over the struct arrays and maps it reaches through {@code tx.on(...)}, all of
     * one directory: one snapshot for all its reads, one commit point for all its writes (when it writes in several
     * structures, a record of the directory's transaction log, region {@code millrace-transactions}, created on
     * first need). Its conflict statistics go to the log's table once an attempt of the block's site in this process
     * wrote in several structures, else to the table of the first structure it reaches: a block that never writes
     * several attaches no log. Retries, rollback
     * and nesting as {@link #atomic(StructArray, Block)}: an {@code atomic} on one array or map inside it joins it.
     *
     * @param block the block; may run several times
     * @throws SharedStateException {@code TX_CONFLICT}, {@code LOCK_TIMEOUT}, {@code MAP_FULL} (nothing written)
     * @throws IllegalArgumentException when the block reaches structures of two directories
     * @throws RuntimeException     what the block threw (wrapped when checked), nothing written
     */
    public static void atomic(AtomicBlock block) {
        Objects.requireNonNull(block, "block");
        runMixed(site(block), block, Transactions::runAtomicBlock);
    }

    /**
     * As {@link #atomic(AtomicBlock)}, returning the block's result from the attempt that committed.
     *
     * @param block the block; may run several times
     * @param <R>   the result type
     * @return the result of the attempt that committed
     * @throws SharedStateException {@code TX_CONFLICT}, {@code LOCK_TIMEOUT}, {@code MAP_FULL}
     */
    public static <R> R atomicGet(AtomicValueBlock<R> block) {
        Objects.requireNonNull(block, "block");
        return runMixed(site(block), block, AtomicValueBlock::run);
    }

    /**
     * Closes this process's handle of the transaction log of {@code directory} (the region
     * {@code millrace-transactions} that {@link #atomic(AtomicBlock)} creates or attaches on first need, and keeps
     * open), and removes the log's file when no live process is attached to it and no decided transaction has a
     * part still to finish (a dead committer's part whose descriptor in a structure of the directory still links
     * it: a survivor of that part's region finishes it when it needs the part's items). A later
     * transaction over several structures attaches it again. Call it when no transaction of this process over the
     * directory's structures runs, and no other process will start one that writes several: a process that attaches
     * the log between this check and the removal keeps the removed file, whose decisions a later process never sees.
     *
     * @param directory the directory
     * @return whether the file was removed
     */
    public static boolean closeLog(ShmDirectory directory) {
        return TxLog.close(Objects.requireNonNull(directory, "directory"));
    }

    /** {@return commits, aborts and time lost per site in this process} */
    public static List<TransactionStats> stats() {
        List<TransactionStats> result = new ArrayList<>();
        STATS.forEach((site, c) -> result.add(new TransactionStats(site, c.commits.sum(), c.aborts.sum(),
                c.retried.sum(), c.abortNanos.sum())));
        return result;
    }

    private static Void runBlock(Block block, Tx tx) throws Exception {
        block.run(tx);
        return null;
    }

    private static <K, V> Void runMapBlock(MapBlock<K, V> block, MapTx<K, V> tx) throws Exception {
        block.run(tx);
        return null;
    }

    private static Void runAtomicBlock(AtomicBlock block, Transaction tx) throws Exception {
        block.run(tx);
        return null;
    }

    private static Tx beginStructs(StructArray<?> array, ThreadState thread) {
        array.checkOpen();
        return Tx.begin(array, thread);
    }

    private static <K, V> MapTx<K, V> beginMap(SharedMap<K, V> map, ThreadState thread) {
        map.checkOpen();
        return new MapTx<>(map);
    }

    private static Transaction beginMixed(Transaction.Log log, ThreadState thread) {
        return new Transaction(log);
    }

    private static <B, R> R run(StructArray<?> array, Site site, B block, Body<B, Tx, R> body) {
        Objects.requireNonNull(array, "array");
        ThreadState thread = THREAD.get();
        Object current = thread.current;
        if (current instanceof Transaction outer) {
            return call(body, block, outer.on(array));
        }
        if (current != null) {
            if (!(current instanceof Tx outer) || outer.array != array) {
                throw nested(current, "'" + array.name() + "'");
            }
            return call(body, block, outer);
        }
        return attempts(thread, site, "", array.name(), array.stats, array, Transactions::beginStructs, block, body,
                Attempt::commit, Attempt::recoverBlocked);
    }

    @SuppressWarnings("unchecked")
    private static <K, V, B, R> R runMap(SharedMap<K, V> map, Site site, B block, Body<B, MapTx<K, V>, R> body) {
        Objects.requireNonNull(map, "map");
        ThreadState thread = THREAD.get();
        Object current = thread.current;
        if (current instanceof Transaction outer) {
            return call(body, block, outer.on(map));
        }
        if (current != null) {
            if (!(current instanceof MapTx<?, ?> outer) || outer.map != map) {
                throw nested(current, "map '" + map.name() + "'");
            }
            return call(body, block, (MapTx<K, V>) outer);
        }
        return attempts(thread, site, "map ", map.name(), map.stats, map, Transactions::beginMap, block, body,
                Attempt::commit, Attempt::recoverBlocked);
    }

    private static <B, R> R runMixed(Site site, B block, Body<B, Transaction, R> body) {
        ThreadState thread = THREAD.get();
        Object current = thread.current;
        if (current instanceof Transaction outer) {
            return call(body, block, outer);
        }
        if (current != null) {
            throw nested(current, "several structures");
        }
        return attempts(thread, site, "", "several structures", null, new Transaction.Log(), Transactions::beginMixed,
                block, body, Transaction::commit, Transaction::recoverBlocked);
    }

    /** What a block does with its attempt. */
    @FunctionalInterface
    private interface Body<B, T, R> {
        R run(B block, T tx) throws Exception;
    }

    /** How an attempt begins on its structure ({@code S}). */
    @FunctionalInterface
    private interface Begin<S, T> {
        T begin(S structure, ThreadState thread);
    }

    /** Runs attempts of {@code body} until one commits, counting commits and aborts of {@code site}. */
    private static <S, B, T, R> R attempts(ThreadState thread, Site site, String kind, String name, StatsTable shared,
                                           S structure, Begin<S, T> begin, B block, Body<B, T, R> body,
                                           Predicate<T> commit, Consumer<T> recoverBlocked) {
        Counters counters = site.counters;
        long row = shared == null ? -1 : shared.row(site.name);
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            T tx = begin.begin(structure, thread);
            long start = counters.timed ? System.nanoTime() : UNTIMED;
            R result;
            thread.current = tx;
            try {
                result = call(body, block, tx);
            } catch (Tx.Conflict conflict) {
                StatsTable table = shared != null ? shared : ((Transaction) tx).stats(counters);
                aborted(counters, table, table == shared ? row : rowOf(table, site), start, attempt);
                continue;
            } finally {
                thread.current = null;
            }
            StatsTable table = shared != null ? shared : ((Transaction) tx).stats(counters);
            long tableRow = table == shared ? row : rowOf(table, site);
            if (commit.test(tx)) {
                counters.commits.increment();
                if (attempt > 1) {
                    counters.retried.increment();
                }
                if (table != null) {
                    table.committed(tableRow, attempt);
                }
                return result;
            }
            recoverBlocked.accept(tx);
            aborted(counters, table, tableRow, start, attempt);
        }
        throw new SharedStateException(SharedStateException.Reason.TX_CONFLICT, "transaction site=" + site.name + " on "
                + kind + "'" + name + "' met a conflict in each of attempts=" + MAX_ATTEMPTS);
    }

    private static long rowOf(StatsTable table, Site site) {
        return table == null ? -1 : table.row(site.name);
    }

    private static IllegalStateException nested(Object current, String inner) {
        String outer = current instanceof Tx tx ? "'" + tx.array.name() + "'"
                : current instanceof MapTx<?, ?> m ? "map '" + m.map.name() + "'" : "several structures";
        return new IllegalStateException("a transaction on " + outer + " cannot nest one on " + inner);
    }

    private static <B, T, R> R call(Body<B, T, R> body, B block, T tx) {
        try {
            return body.run(block, tx);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("transaction block failed: " + e, e);
        }
    }

    private static void aborted(Counters counters, StatsTable shared, long row, long start, int attempt) {
        long lost = start == UNTIMED ? 0 : System.nanoTime() - start;
        if (!counters.timed) {
            counters.timed = true; // the site's first abort here: its time is not known, the next ones' are
        }
        counters.aborts.increment();
        counters.abortNanos.add(lost);
        if (shared != null) {
            shared.aborted(row, lost);
        }
        if (attempt < 8) {
            for (int i = 0; i < attempt * 16; i++) {
                Thread.onSpinWait();
            }
        } else if (attempt < 16) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(Math.min(1_000_000L, 1_000L << Math.min(10, attempt - 16)));
        }
    }
}
