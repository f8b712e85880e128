package io.millrace.state;

import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransactionsTest {
    private static final StructType<Account> TYPE = StructType.of(Account.class);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    @Test
    void shouldCommitAllWritesOfABlockTogether() {
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 2)) {
            accounts.get(0).balance(100);
            TxChild.transfer(accounts, 0, 1, 30);
            long seen = Transactions.atomicGet(accounts, tx -> tx.getLong(accounts.get(0), "balance")
                    + tx.getLong(accounts.get(1), "balance"));
            assertThat(seen).isEqualTo(100);
            assertThat(accounts.get(0).balance()).isEqualTo(70);
            assertThat(accounts.get(1).balance()).isEqualTo(30);
            accounts.unlink();
        }
    }

    @Test
    void shouldWriteNothingWhenTheBlockThrowsAndJoinANestedBlock() {
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 2)) {
            assertThatThrownBy(() -> Transactions.atomic(accounts, tx -> {
                tx.setLong(accounts.get(0), "balance", 5);
                Transactions.atomic(accounts, inner -> inner.setInt(accounts.get(1), "transfers", 7));
                assertThat(tx.getInt(accounts.get(1), "transfers")).isEqualTo(7); // the inner block joined
                throw new IllegalStateException("no");
            })).hasMessage("no");
            assertThat(accounts.get(0).snapshot()).isEqualTo(new Account.Value(0, 0, 0, 0, ""));
            assertThat(accounts.get(1).snapshot()).isEqualTo(new Account.Value(0, 0, 0, 0, ""));
            try (StructArray<Account> other = StructArray.create(shm.directory(), "other", TYPE, 1)) {
                assertThatThrownBy(() -> Transactions.atomic(accounts, tx -> Transactions.atomic(other, inner -> {
                }))).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot nest one on 'other'");
                other.unlink();
            }
            accounts.unlink();
        }
    }

    @Test
    void shouldKeepTheTotalOfTransfersByContendingThreads() throws Exception {
        int n = 8;
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, n)) {
            for (int i = 0; i < n; i++) {
                accounts.get(i).balance(1_000);
            }
            ContendingThreads.run(3, 20_000, random -> {
                int from = random.nextInt(n);
                TxChild.transfer(accounts, from, (from + 1 + random.nextInt(n - 1)) % n, random.nextInt(100));
            });
            long total = 0;
            for (int i = 0; i < n; i++) {
                assertThat(accounts.get(i).balance()).isNotNegative();
                total += accounts.get(i).balance();
            }
            assertThat(total).isEqualTo(n * 1_000L);
            assertThat(Transactions.stats()).anySatisfy(s -> assertThat(s.commits()).isGreaterThanOrEqualTo(60_000));
            assertThat(accounts.transactionStats()).singleElement().satisfies(s -> {
                assertThat(s.site()).startsWith(TxChild.class.getName() + ".transfer:");
                assertThat(s.commits()).isEqualTo(60_000);
            });
            accounts.unlink();
        }
    }

    /** A site reads no clock until its first abort (that one counts no time); the aborts after it count theirs. */
    @Test
    void shouldTimeTheAbortsOfASiteFromItsFirstAbortOn() {
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 1)) {
            String site = TransactionsTest.class.getName() + ".addDisturbedOnce:";
            addDisturbedOnce(accounts);
            assertThat(Transactions.stats()).filteredOn(s -> s.site().startsWith(site)).singleElement()
                    .satisfies(s -> {
                        assertThat(s.aborts()).isEqualTo(1);
                        assertThat(s.abortNanos()).isZero();
                    });
            addDisturbedOnce(accounts);
            assertThat(Transactions.stats()).filteredOn(s -> s.site().startsWith(site)).singleElement()
                    .satisfies(s -> {
                        assertThat(s.commits()).isEqualTo(2);
                        assertThat(s.aborts()).isEqualTo(2);
                        assertThat(s.abortNanos()).isPositive();
                    });
            assertThat(accounts.get(0).balance()).isEqualTo(202);
            accounts.unlink();
        }
    }

    /**
     * A block whose every attempt meets a conflict (a plain add between its read and its commit) gives up after
     * {@value Transactions#MAX_ATTEMPTS} attempts with {@code TX_CONFLICT} naming its site; none of its writes is
     * left.
     */
    @Test
    void shouldGiveUpWithTxConflictWhenEveryAttemptMeetsAConflict() {
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 1)) {
            AtomicInteger runs = new AtomicInteger();
            assertThatThrownBy(() -> Transactions.atomic(accounts, tx -> {
                runs.incrementAndGet();
                long balance = tx.getLong(accounts.get(0), "balance");
                accounts.get(0).addBalance(1); // between the attempt's read and its commit: a conflict
                tx.setLong(accounts.get(0), "balance", balance + 1_000_000);
            })).isInstanceOfSatisfying(SharedStateException.class,
                    e -> assertThat(e.reason()).isEqualTo(SharedStateException.Reason.TX_CONFLICT))
                    .hasMessageContaining("transaction site=" + TransactionsTest.class.getName())
                    .hasMessageContaining("on 'bank' met a conflict in each of attempts=" + Transactions.MAX_ATTEMPTS);
            assertThat(runs).hasValue(Transactions.MAX_ATTEMPTS);
            assertThat(accounts.get(0).balance()).isEqualTo(Transactions.MAX_ATTEMPTS); // the plain adds only
            accounts.unlink();
        }
    }

    /**
     * Runs {@code test} over arrays {@code bank} ({@code length} structs) and {@code other} (one), then removes both
     * and the directory's log, which its writes to both made.
     */
    private void overTwoArrays(int length, BiConsumer<StructArray<Account>, StructArray<Account>> test) {
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, length);
             StructArray<Account> other = StructArray.create(shm.directory(), "other", TYPE, 1)) {
            test.accept(accounts, other);
            accounts.unlink();
            other.unlink();
            assertThat(Transactions.closeLog(shm.directory())).isTrue();
        }
    }

    /** Adds 1 in a transaction whose first attempt a plain write of the same field aborts (it adds 100). */
    private static void addDisturbedOnce(StructArray<Account> accounts) {
        AtomicInteger runs = new AtomicInteger();
        Transactions.atomic(accounts, tx -> {
            long balance = tx.getLong(accounts.get(0), "balance");
            if (runs.getAndIncrement() == 0) {
                accounts.get(0).addBalance(100); // between the attempt's read and its commit: a conflict
            }
            tx.setLong(accounts.get(0), "balance", balance + 1);
        });
    }

    /**
     * Once an attempt of a site wrote in several structures, every later attempt of that site counts in the log's
     * table, even one that writes one structure: one table holds the site's figures.
     */
    @Test
    void shouldCountEveryLaterAttemptOfASiteThatWroteSeveralStructuresInTheLogsTable() {
        overTwoArrays(1, (accounts, other) -> {
            for (boolean both : new boolean[] {false, true, false, false}) {
                Transactions.atomic(tx -> { // one site: the same block class each time
                    tx.on(accounts).setLong(accounts.get(0), "balance", 1);
                    if (both) {
                        tx.on(other).setLong(other.get(0), "balance", 1);
                    }
                });
            }
            assertThat(accounts.transactionStats()).singleElement().satisfies(s -> assertThat(s.commits()).isEqualTo(1));
            assertThat(TransactionStats.inspect(shm.directory(), TxLog.REGION)).singleElement()
                    .satisfies(s -> assertThat(s.commits()).isEqualTo(3));
        });
    }

    /**
     * The attempts of one call over several structures look the directory's log up once: the first, aborted at its
     * commit by a plain add between its read and its commit, for its stats and its commit; the second uses it again.
     */
    @Test
    void shouldLookTheLogUpOnceForAllAttemptsOfACallThatWritesSeveralStructures() {
        overTwoArrays(1, (accounts, other) -> {
            List<Transaction> attempts = new ArrayList<>();
            Transactions.atomic(tx -> {
                attempts.add(tx);
                long balance = tx.on(accounts).getLong(accounts.get(0), "balance");
                if (attempts.size() == 1) {
                    accounts.get(0).addBalance(100); // between the attempt's read and its commit: a conflict
                }
                tx.on(accounts).setLong(accounts.get(0), "balance", balance + 1);
                tx.on(other).setLong(other.get(0), "balance", 1);
            });
            assertThat(accounts.get(0).balance()).isEqualTo(101);
            assertThat(attempts).hasSize(2);
            assertThat(attempts.get(1).log).isSameAs(attempts.get(0).log);
            assertThat(attempts.get(1).log.lookUps).isEqualTo(1);
        });
    }

    /** A block over several structures that writes one counts in that one's table: no directory log for its stats. */
    @Test
    void shouldCountAnAtomicBlockThatWritesOneStructureInItsTableWithoutAttachingTheLog() {
        overTwoArrays(2, (accounts, other) -> {
            other.get(0).balance(10);
            for (int i = 0; i < 3; i++) {
                Transactions.atomic(tx -> { // writes accounts, reads other
                    Tx part = tx.on(accounts);
                    long seen = tx.on(other).getLong(other.get(0), "balance");
                    part.setLong(accounts.get(0), "balance", part.getLong(accounts.get(0), "balance") + seen);
                });
            }
            assertThat(accounts.get(0).balance()).isEqualTo(30);
            assertThat(Files.exists(shm.directory().file(TxLog.REGION))).as("the log's file").isFalse();
            assertThat(accounts.transactionStats()).singleElement().satisfies(s -> assertThat(s.commits()).isEqualTo(3));
            assertThat(other.transactionStats()).isEmpty();
            Transactions.atomic(tx -> { // writes both: one commit point in the log, and its stats there
                tx.on(accounts).setLong(accounts.get(1), "balance", 1);
                tx.on(other).setLong(other.get(0), "balance", 1);
            });
            assertThat(other.get(0).balance()).isEqualTo(1);
            assertThat(TransactionStats.inspect(shm.directory(), TxLog.REGION)).singleElement()
                    .satisfies(s -> assertThat(s.commits()).isEqualTo(1));
            assertThat(accounts.transactionStats()).singleElement().satisfies(s -> assertThat(s.commits()).isEqualTo(3));
        });
    }

    /**
     * Adds and compare-and-sets on a field serialise with the transactions that move it: a transaction that read the
     * field never commits over an add made after its read (the add changes the struct's version).
     */
    @Test
    void shouldLoseNoAddOrCompareAndSetOfAFieldThatTransactionsMove() throws Exception {
        int iterations = 20_000;
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 2)) {
            accounts.get(0).balance(1_000);
            accounts.get(1).balance(1_000);
            ContendingThreads.run(2, iterations, (thread, random) -> {
                if (thread == 0) {
                    int from = random.nextInt(2);
                    TxChild.transfer(accounts, from, 1 - from, 1 + random.nextInt(10));
                } else {
                    accounts.get(0).addBalance(1);
                    Account other = accounts.get(1);
                    long seen = other.balance();
                    while (!other.compareAndSetBalance(seen, seen + 1)) {
                        seen = other.balance();
                    }
                }
            });
            assertThat(accounts.get(0).balance() + accounts.get(1).balance()).isEqualTo(2_000L + 2L * iterations);
            accounts.unlink();
        }
    }

    /**
     * Write skew in one array: each transaction reads two structs whose sum is 0 or 1 and writes one of them (minus one
     * at 1, plus one at 0). A struct read but not written is checked unlocked, then unchanged, under the written one's
     * lock; no snapshot sees the sum leave {0, 1}.
     */
    @Test
    void shouldNotCommitTwoTransactionsThatEachWriteOneOfTwoStructsBothRead() throws Exception {
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 2)) {
            java.util.concurrent.atomic.AtomicInteger skewed = new java.util.concurrent.atomic.AtomicInteger();
            ContendingThreads.run(4, 20_000, (thread, random) -> Transactions.atomic(accounts, tx -> {
                long a = tx.getLong(accounts.get(0), "balance");
                if (random.nextInt(4) == 0) {
                    Thread.yield(); // widens the window between the reads and the commit
                }
                long b = tx.getLong(accounts.get(1), "balance");
                if (a + b < 0 || a + b > 1) {
                    skewed.incrementAndGet(); // a consistent snapshot (opacity): a committed state broke the rule
                }
                int mine = thread % 2;
                long delta = a + b >= 1 ? -1 : 1;
                tx.setLong(accounts.get(mine), "balance", (mine == 0 ? a : b) + delta);
            }));
            assertThat(skewed).hasValue(0);
            assertThat(accounts.get(0).balance() + accounts.get(1).balance()).isBetween(0L, 1L);
            accounts.unlink();
        }
    }
}
