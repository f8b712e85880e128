package io.millrace.state;

import io.millrace.shm.ChildJvm;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StructCrossProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final StructType<Account> TYPE = StructType.of(Account.class);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    private ChildJvm child(String... args) {
        return child(List.of(), args);
    }

    private ChildJvm child(List<String> options, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = shm.path().toString();
        all[1] = "bank";
        System.arraycopy(args, 0, all, 2, args.length);
        return ChildJvm.start(options, StructChild.class, all);
    }

    @Test
    void shouldReadInOneJvmTheFieldsAnotherJvmWrote() throws Exception {
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 1);
             ChildJvm writer = child("write", "4242", "eve")) {
            writer.awaitLine("DONE", TIMEOUT);
            assertThat(writer.awaitExit(TIMEOUT)).isZero();
            assertThat(accounts.get(0).balance()).isEqualTo(4242);
            assertThat(accounts.get(0).owner()).isEqualTo("eve");
            accounts.unlink();
        }
    }

    @Test
    void shouldLoseNoIncrementOfTwoJvmsAddingToOneField() throws Exception {
        long each = 2_000_000;
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 1);
             ChildJvm a = child("add", Long.toString(each));
             ChildJvm b = child("add", Long.toString(each))) {
            a.awaitLine("DONE", TIMEOUT);
            b.awaitLine("DONE", TIMEOUT);
            assertThat(a.awaitExit(TIMEOUT)).isZero();
            assertThat(b.awaitExit(TIMEOUT)).isZero();
            assertThat(accounts.get(0).balance()).isEqualTo(2 * each);
            accounts.unlink();
        }
    }

    @Test
    void shouldNeverSeeATornSnapshotWhileAnotherJvmUpdatesBothFields() throws Exception {
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 1);
             ChildJvm writer = child("mirror")) {
            writer.awaitLine("READY", TIMEOUT);
            Account account = accounts.get(0);
            long distinct = 0;
            long last = -1;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (distinct < 2_000) {
                assertThat(System.nanoTime() - deadline).as("the writer made %d updates in %s", distinct, TIMEOUT)
                        .isNegative();
                Account.Value v = account.snapshot();
                assertThat(v.mirror()).as("snapshot %s", v).isEqualTo(v.balance());
                if (v.balance() != last) {
                    distinct++;
                    last = v.balance();
                }
            }
            writer.kill();
            accounts.unlink();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"struct.update.decided", "struct.update.applying"})
    void shouldFinishTheUpdateOfAJvmKilledOnceItWasDecided(String point) throws Exception {
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 1)) {
            Account account = accounts.get(0);
            account.update(v -> new Account.Value(10, 10, 0, 0, "before"));
            try (ChildJvm child = child(List.of("-D" + CrashPoints.PROPERTY + "=" + point), "update")) {
                child.awaitLine("PARKED", TIMEOUT);
                child.kill();
            }
            // decided, not yet applied: readers see it before (until a writer finishes it) or after, never half
            assertThat(account.snapshot()).isIn(new Account.Value(10, 10, 0, 0, "before"),
                    new Account.Value(11, 11, 1, 0, "after"));
            account.update(v -> new Account.Value(v.balance() + 1, v.mirror() + 1, v.transfers(), 0, v.owner()));
            assertThat(account.snapshot()).isEqualTo(new Account.Value(12, 12, 1, 0, "after"));
            assertThat(accounts.recoveries()).isEqualTo(1);
            accounts.unlink();
        }
    }

    /**
     * A JVM stalls inside its update function, holding the struct's lock: while it lives, a writer here is never let
     * past it and gives up at its timeout with {@code LOCK_TIMEOUT} naming the holder; once it is killed, the next
     * writer finds the struct as before that update (not decided: dropped) and goes on.
     */
    @Test
    void shouldTimeOutAWriterWhileAJvmStallsInItsUpdateAndLeaveTheStructAsBeforeOnceItIsKilled() throws Exception {
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 1)) {
            Account account = accounts.get(0);
            account.update(v -> new Account.Value(10, 10, 0, 0, "before"));
            try (ChildJvm child = child("park-in-fn")) {
                child.awaitLine("PARKED", TIMEOUT);
                assertThatThrownBy(() -> account.addBalance(1)).isInstanceOfSatisfying(SharedStateException.class,
                        e -> assertThat(e.reason()).isEqualTo(SharedStateException.Reason.LOCK_TIMEOUT))
                        .hasMessageContaining("struct bank[0] of region 'bank' is held by a live process")
                        .hasMessageContaining("timeout=10000ms");
                child.kill();
            }
            account.update(v -> new Account.Value(v.balance() + 1, v.mirror() + 1, v.transfers(), 0, v.owner()));
            assertThat(account.snapshot()).isEqualTo(new Account.Value(11, 11, 0, 0, "before"));
            assertThat(accounts.recoveries()).isEqualTo(1);
            accounts.unlink();
        }
    }

    @Test
    void shouldRefuseInAnotherJvmAStructDeclaredOtherwise() throws Exception {
        try (StructArray<RecordStruct<StructTest.Point>> points = StructArray.create(shm.directory(), "bank",
                StructType.ofRecord(StructTest.Point.class), 1);
             ChildJvm child = child("write", "1", "x")) {
            assertThat(child.awaitExit(TIMEOUT)).isNotZero();
            assertThat(String.join("\n", child.transcript())).contains("SCHEMA_MISMATCH")
                    .contains("field 'balance' differs");
            points.unlink();
        }
    }
}
