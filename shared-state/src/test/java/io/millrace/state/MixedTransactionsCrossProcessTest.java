package io.millrace.state;

import io.millrace.shm.ChildJvm;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MixedTransactionsCrossProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int ACCOUNTS = 100;

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    /**
     * The child moves 30 from struct account 1 to map account 2 in one transaction over both regions and is
     * SIGKILLed at a step of its commit: while it locks either region's part the transfer is dropped in both; from
     * the log's decision on (inside the struct's apply, the map's logged mutation, between the parts) it is finished
     * in both, each by the next to need its struct or segment; no lock is left held.
     */
    @ParameterizedTest(name = "killed at {0}")
    @CsvSource({"tx.locked, false", "maptx.locked, false", "mtx.decided, true", "tx.applied, true",
            "mtx.applied, true", "map.logged2, true", "maptx.applied, true"})
    void shouldFinishOrDropInBothRegionsTheCommitOfAJvmKilledInIt(String point, boolean applied) throws Exception {
        Bank.run(shm.directory(), ACCOUNTS, 100, (accounts, map) -> {
            killMixedTransfer(point);
            accounts.get(1).update(v -> v); // takes the struct: finishes or drops the dead part first
            map.merge(2L, 0L, Long::sum); // takes the segment: the same for the map's part
            assertThat(accounts.get(1).balance()).isEqualTo(applied ? 70 : 100);
            assertThat(map.get(2L)).isEqualTo(applied ? 130 : 100);
            assertThat(map.check()).isEmpty();
            MapTxChild.mixed(accounts, map, 3, 4, 5, true); // a transaction over both goes on
            assertThat(TxChild.total(accounts) + MapTxChild.total(map, ACCOUNTS)).isEqualTo(2 * ACCOUNTS * 100L);
            assertThat(accounts.recoveries()).isEqualTo(1);
            assertThat(map.recoveries()).isEqualTo(point.equals("tx.locked") ? 0 : 1); // segment not locked yet
            assertThat(TxLog.of(shm.directory()).recordsInUse()).isZero(); // the dead committer's record is free
        });
    }

    /**
     * The committer is killed after it ended both parts and before it freed its log record: nothing is left to
     * recover, and the record, decided but with no part pending, is free to take (it was leaked before: issue 16).
     */
    @Test
    void shouldFreeTheLogRecordOfAJvmKilledAfterItsPartsEnded() throws Exception {
        Bank.run(shm.directory(), ACCOUNTS, 100, (accounts, map) -> {
            killMixedTransfer("mtx.ended");
            assertThat(accounts.get(1).balance()).isEqualTo(70);
            assertThat(map.get(2L)).isEqualTo(130);
            assertThat(TxLog.of(shm.directory()).recordsInUse()).isZero();
            assertThat(accounts.recoveries()).isZero();
            assertThat(map.recoveries()).isZero();
        });
    }

    /**
     * The committer is killed just after the log's decision; a JVM that has only the map open (no struct array)
     * needs the map's part: it finds the decision in the directory's log and finishes that part alone; the struct's
     * part is finished later by this JVM.
     */
    @Test
    void shouldFinishTheMapPartInAJvmThatHasOnlyTheMapOpen() throws Exception {
        Bank.run(shm.directory(), ACCOUNTS, 100, (accounts, map) -> {
            killMixedTransfer("mtx.decided");
            try (ChildJvm mapOnly = ChildJvm.start(MapTxChild.class, shm.path().toString(), "bank-map", "transfer",
                    "2", "3", "130")) {
                assertThat(mapOnly.awaitExit(TIMEOUT)).isZero();
            }
            assertThat(map.get(2L)).isZero(); // 100 + 30 from the dead commit, then all of it moved on
            assertThat(map.get(3L)).isEqualTo(230);
            long balance = Transactions.atomicGet(accounts, tx -> tx.getLong(accounts.get(1), "balance"));
            assertThat(balance).isEqualTo(70); // a transaction's read waits for the lock: recovers the dead part
            assertThat(accounts.recoveries()).isEqualTo(1);
            assertThat(map.recoveries()).isZero(); // the other JVM's
        });
    }

    /**
     * The committer is killed after it ended the map's part (its descriptor {@code IDLE}) and before it cleared that
     * part's bit, the struct's part still decided and locked: the log stays while the struct's descriptor links the
     * decision, and goes once the struct's part is finished, though the map's bit stays set (nothing links it).
     */
    @Test
    void shouldKeepTheLogOnlyWhileADecidedPartIsLinkedByItsDescriptor() throws Exception {
        Bank.runLeavingNoLog(shm.directory(), ACCOUNTS, 100, (accounts, map) -> {
            killMixedTransfer("mtx.partEnded");
            assertThat(map.get(2L)).isEqualTo(130); // the map's part ended
            assertThat(Transactions.closeLog(shm.directory())).isFalse(); // the struct's part needs the decision
            accounts.get(1).update(v -> v); // takes the struct's lock: recovers the part
            assertThat(accounts.get(1).balance()).isEqualTo(70);
            assertThat(accounts.recoveries()).isEqualTo(1);
            assertThat(Transactions.closeLog(shm.directory())).isTrue();
        });
    }

    /** A child moves 30 from struct account 1 to map account 2 in one transaction and is SIGKILLed at {@code point}. */
    private void killMixedTransfer(String point) throws Exception {
        try (ChildJvm child = ChildJvm.start(List.of("-D" + CrashPoints.PROPERTY + "=" + point), MapTxChild.class,
                shm.path().toString(), "bank", "mixed", "1", "2", "30")) {
            child.awaitLine("PARKED", TIMEOUT);
            child.kill();
        }
    }
}
