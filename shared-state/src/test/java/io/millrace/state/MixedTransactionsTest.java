package io.millrace.state;

import io.millrace.shm.ShmDirectory;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MixedTransactionsTest {
    private static final StructType<Account> TYPE = StructType.of(Account.class);
    private static final int N = 8;

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    @Test
    void shouldCommitWritesToStructsAndMapEntriesTogetherAndRollBothBackOnAnException() throws Exception {
        Bank.run(shm.directory(), N, 100, (accounts, map) -> {
            MapTxChild.mixed(accounts, map, 0, 1, 30, true);
            assertThat(accounts.get(0).balance()).isEqualTo(70);
            assertThat(map.get(1L)).isEqualTo(130);
            MapTxChild.mixed(accounts, map, 1, 0, 130, false);
            assertThat(map.get(1L)).isZero();
            assertThat(accounts.get(0).balance()).isEqualTo(200);
            assertThatThrownBy(() -> Transactions.atomic(tx -> {
                tx.on(accounts).setLong(accounts.get(0), "balance", 5);
                tx.on(map).put(1L, 5L);
                throw new IllegalStateException("no");
            })).hasMessage("no");
            assertThat(accounts.get(0).balance()).isEqualTo(200);
            assertThat(map.get(1L)).isZero();
            long seen = Transactions.atomicGet(tx -> tx.on(accounts).getLong(accounts.get(0), "balance")
                    + tx.on(map).get(1L));
            assertThat(seen).isEqualTo(200);
        });
    }

    @Test
    void shouldRejectAPartTakenOutsideItsBlock() throws Exception {
        Bank.runLeavingNoLog(shm.directory(), N, 100, (accounts, map) -> {
            Transaction kept = Transactions.atomicGet(tx -> tx);
            assertThatThrownBy(() -> kept.on(accounts)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("outside its block").hasMessageContaining("on('bank')");
            assertThatThrownBy(() -> kept.on(map)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("on(map 'bank-map')");
            Transactions.atomic(tx -> {
                AtomicReference<Throwable> thrown = new AtomicReference<>();
                Thread other = Thread.ofPlatform().start(() -> {
                    try {
                        tx.on(accounts);
                    } catch (Throwable t) {
                        thrown.set(t);
                    }
                });
                other.join();
                assertThat(thrown.get()).isInstanceOf(IllegalStateException.class);
                tx.on(accounts).setLong(accounts.get(0), "balance", 7);
            });
            assertThat(accounts.get(0).balance()).isEqualTo(7);
        });
    }

    /**
     * A decided record's bit whose part no descriptor links (the committer killed between the part's {@code IDLE}
     * and clearing its bit, or the part's region gone) asks nothing: the log is removed all the same.
     */
    @Test
    void shouldRemoveTheLogWhenNoDescriptorLinksADecidedRecordsPendingPart() {
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", StructType.of(Account.class),
                10)) {
            TxLog log = TxLog.of(shm.directory());
            long record = log.acquire();
            log.pending(record, 0);
            log.decide(record); // closed, this handle is a dead committer's: decided, part 0's bit set
            assertThat(Transactions.closeLog(shm.directory())).isTrue();
            accounts.unlink();
        }
    }

    /**
     * Every record of the log held by a live committer (this process's): a transaction that writes several
     * structures gives up with {@code LOCK_TIMEOUT} naming the log, having written nothing; once records are free it
     * commits.
     */
    @Test
    void shouldGiveUpWithLockTimeoutWhenLiveCommittersHoldEveryRecordOfTheLog() throws Exception {
        Bank.run(shm.directory(), N, 100, (accounts, map) -> {
            TxLog log = TxLog.of(shm.directory());
            long[] held = new long[TxLog.RECORDS];
            for (int i = 0; i < held.length; i++) {
                held[i] = log.acquire();
            }
            assertThatThrownBy(() -> MapTxChild.mixed(accounts, map, 0, 1, 30, true))
                    .isInstanceOfSatisfying(SharedStateException.class,
                            e -> assertThat(e.reason()).isEqualTo(SharedStateException.Reason.LOCK_TIMEOUT))
                    .hasMessageContaining("has no free record of records=" + TxLog.RECORDS);
            assertThat(accounts.get(0).balance()).isEqualTo(100);
            assertThat(map.get(1L)).isEqualTo(100);
            for (long link : held) {
                log.release(link);
            }
            MapTxChild.mixed(accounts, map, 0, 1, 30, true);
            assertThat(accounts.get(0).balance()).isEqualTo(70);
            assertThat(map.get(1L)).isEqualTo(130);
        });
    }

    /** The log has 256 records: a thousand transactions over both regions commit only if each frees its record. */
    @Test
    void shouldReuseTheRecordsOfTheDirectorysLog() throws Exception {
        Bank.run(shm.directory(), N, 100, (accounts, map) -> {
            for (int i = 0; i < 4 * TxLog.RECORDS; i++) {
                MapTxChild.mixed(accounts, map, i % N, (i + 3) % N, 1, (i & 1) == 0);
            }
            assertThat(TxLog.of(shm.directory()).recordsInUse()).isZero();
            assertThat(TxChild.total(accounts) + MapTxChild.total(map, N)).isEqualTo(2 * N * 100L);
        });
    }

    @Test
    void shouldJoinTransactionsOnOneArrayOrMapNestedInATransactionOverBoth() throws Exception {
        Bank.run(shm.directory(), N, 100, (accounts, map) -> {
            assertThatThrownBy(() -> Transactions.atomic(tx -> {
                TxChild.transfer(accounts, 0, 1, 40); // joins: its writes are this transaction's
                MapTxChild.transfer(map, 2, 3, 50);
                assertThat(tx.on(accounts).getLong(accounts.get(1), "balance")).isEqualTo(140);
                assertThat(tx.on(map).get(3L)).isEqualTo(150);
                throw new IllegalStateException("undo both");
            })).hasMessage("undo both");
            assertThat(accounts.get(1).balance()).isEqualTo(100);
            assertThat(map.get(3L)).isEqualTo(100);
            Transactions.atomic(tx -> {
                TxChild.transfer(accounts, 0, 1, 40);
                MapTxChild.transfer(map, 2, 3, 50);
            });
            assertThat(accounts.get(1).balance()).isEqualTo(140);
            assertThat(map.get(3L)).isEqualTo(150);
            assertThatThrownBy(() -> Transactions.atomic(accounts, tx -> Transactions.atomic(outer -> {
            }))).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot nest one on several");
        });
    }

    @Test
    void shouldKeepTheCombinedTotalOfThreadsMovingMoneyBetweenStructsAndAMap() throws Exception {
        Bank.run(shm.directory(), N, 1_000, (accounts, map) -> {
            ContendingThreads.run(3, 5_000, (thread, random) -> {
                int from = random.nextInt(N);
                int to = random.nextInt(N);
                switch (thread) {
                    case 0 -> MapTxChild.mixed(accounts, map, from, to, random.nextInt(100), random.nextBoolean());
                    case 1 -> TxChild.transfer(accounts, from, to, random.nextInt(100));
                    default -> MapTxChild.transfer(map, from, to, random.nextInt(100));
                }
            });
            assertThat(TxChild.total(accounts) + MapTxChild.total(map, N)).isEqualTo(2L * N * 1_000);
        });
    }

    @Test
    void shouldRefuseATransactionOverTwoDirectoriesOrTwoHandlesOfOneRegion() throws Exception {
        ShmDirectory other = ShmDirectory.at(shm.path().resolve("other"));
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 1);
             StructArray<Account> elsewhere = StructArray.create(other, "bank", TYPE, 1)) {
            assertThatThrownBy(() -> Transactions.atomic(tx -> {
                tx.on(accounts).getLong(accounts.get(0), "balance");
                tx.on(elsewhere);
            })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lies in directory=");
            try (StructArray<Account> again = StructArray.open(shm.directory(), "bank", TYPE, Duration.ofSeconds(5))) {
                assertThatThrownBy(() -> Transactions.atomic(tx -> {
                    tx.on(accounts);
                    tx.on(again);
                })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("through two handles");
            }
            accounts.unlink();
            elsewhere.unlink();
        }
        java.nio.file.Files.delete(shm.path().resolve("other"));
    }

    /**
     * Write skew: each transaction reads a struct and a map entry whose sum is 0 or 1, and writes only one of them:
     * minus one when the sum is 1, plus one when it is 0. The other region's read is validated under the written
     * one's locks, so no snapshot ever sees the sum leave {0, 1} (two commits over one snapshot would).
     */
    @Test
    void shouldValidateTheReadsOfARegionItDoesNotWrite() throws Exception {
        Bank.runLeavingNoLog(shm.directory(), 1, 0, (accounts, map) -> {
            AtomicInteger skewed = new AtomicInteger();
            ContendingThreads.run(2, 20_000, (thread, random) -> Transactions.atomic(tx -> {
                long struct = tx.on(accounts).getLong(accounts.get(0), "balance");
                long entry = tx.on(map).get(0L);
                long sum = struct + entry;
                if (sum < 0 || sum > 1) {
                    skewed.incrementAndGet(); // a consistent snapshot (opacity): a committed state broke the rule
                }
                long delta = sum >= 1 ? -1 : 1;
                if (thread == 0) {
                    tx.on(accounts).setLong(accounts.get(0), "balance", struct + delta);
                } else {
                    tx.on(map).put(0L, entry + delta);
                }
            }));
            assertThat(skewed).hasValue(0);
            assertThat(accounts.get(0).balance() + map.get(0L)).isBetween(0L, 1L);
            assertThat(Transactions.closeLog(shm.directory())).isFalse(); // each writes one region: no log, no file
        });
    }
}
