package io.millrace.state;

import io.millrace.shm.ChildJvm;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionsCrossProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final StructType<Account> TYPE = StructType.of(Account.class);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    private ChildJvm child(List<String> options, String... args) {
        List<String> all = new ArrayList<>(List.of(shm.path().toString(), "bank"));
        all.addAll(List.of(args));
        return ChildJvm.start(options, TxChild.class, all.toArray(String[]::new));
    }

    /**
     * The child commits a transfer of 30 from account 1 to account 2 and is SIGKILLed at a step of its commit: before
     * the commit point the transfer is dropped, after it the transfer is finished by whoever needs the accounts next.
     */
    @ParameterizedTest(name = "killed at {0}")
    @CsvSource({"tx.locked, false", "tx.decided, true", "tx.applied, true"})
    void shouldFinishOrDropTheCommitOfAJvmKilledInItWholly(String point, boolean applied) throws Exception {
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 4)) {
            for (int i = 0; i < 4; i++) {
                accounts.get(i).balance(100);
            }
            try (ChildJvm child = child(List.of("-D" + CrashPoints.PROPERTY + "=" + point), "transfer", "1", "2",
                    "30")) {
                child.awaitLine("PARKED", TIMEOUT);
                child.kill();
            }
            TxChild.transfer(accounts, 2, 3, 1); // needs account 2: finishes or drops the dead commit first
            long one = accounts.get(1).balance();
            long two = accounts.get(2).balance();
            assertThat(one).isEqualTo(applied ? 70 : 100);
            assertThat(two).isEqualTo(applied ? 129 : 99);
            assertThat(accounts.get(1).snapshot().balance()).isEqualTo(one); // no lock left: snapshot and update go on
            accounts.get(1).update(v -> new Account.Value(v.balance(), 1, 0, 0, ""));
            assertThat(TxChild.total(accounts)).isEqualTo(400);
            assertThat(accounts.recoveries()).isEqualTo(1);
            accounts.unlink();
        }
    }

    /**
     * A child claims its site's row of the array's stats table and is SIGKILLed before it names it: this JVM, running
     * the same site, takes that row and names it instead of claiming a second one for the site.
     */
    @Test
    void shouldNameTheStatsRowThatAJvmKilledAfterClaimingItLeft() throws Exception {
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 4)) {
            accounts.get(1).balance(100);
            try (ChildJvm child = child(List.of("-D" + CrashPoints.PROPERTY + "=stats.claimed"), "transfer", "1",
                    "2", "30")) {
                child.awaitLine("PARKED", TIMEOUT);
                child.kill();
            }
            TxChild.transfer(accounts, 1, 2, 30); // the same site as the child's
            assertThat(accounts.transactionStats()).singleElement().satisfies(s -> {
                assertThat(s.site()).startsWith(TxChild.class.getName() + ".transfer:");
                assertThat(s.commits()).isEqualTo(1);
            });
            assertThat(accounts.get(2).balance()).isEqualTo(30);
            accounts.unlink();
        }
    }

    /**
     * A transaction that writes one struct commits without a descriptor, through the struct's redo copy: killed
     * before its decision it is dropped, after it the next to take the struct finishes it.
     */
    @ParameterizedTest(name = "killed at {0}")
    @CsvSource({"tx.alone.locked, false", "struct.update.decided, true", "struct.update.applying, true"})
    void shouldFinishOrDropTheOneStructCommitOfAJvmKilledInIt(String point, boolean applied) throws Exception {
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 2)) {
            accounts.get(1).balance(100);
            try (ChildJvm child = child(List.of("-D" + CrashPoints.PROPERTY + "=" + point), "deposit", "1", "30")) {
                child.awaitLine("PARKED", TIMEOUT);
                child.kill();
            }
            TxChild.deposit(accounts, 1, 1); // takes the struct: finishes or drops the dead commit first
            Account.Value value = accounts.get(1).snapshot();
            assertThat(value.balance()).isEqualTo(applied ? 131 : 101);
            assertThat(value.transfers()).isEqualTo(applied ? 2 : 1);
            assertThat(accounts.recoveries()).isEqualTo(1);
            accounts.unlink();
        }
    }

    /** The test, smaller: JVMs move money between accounts while random SIGKILLs hit them. */
    @Test
    void shouldKeepTheTotalWhileJvmsTransferringMoneyAreKilledAtRandomAndReplaced() throws Exception {
        Random random = new Random(2026);
        int n = 200;
        int kills = 12;
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, n)) {
            for (int i = 0; i < n; i++) {
                accounts.get(i).balance(1_000);
            }
            List<ChildJvm> bankers = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    bankers.add(child(List.of(), "bank", Integer.toString(i)));
                }
                for (ChildJvm banker : bankers) {
                    banker.awaitLine("WORKING", TIMEOUT);
                }
                for (int k = 0; k < kills; k++) {
                    int victim = random.nextInt(bankers.size());
                    Thread.sleep(random.nextInt(150)); // not a synchronisation: a random moment to kill at
                    bankers.get(victim).kill();
                    bankers.get(victim).close();
                    ChildJvm replacement = child(List.of(), "bank", Integer.toString(100 + k));
                    bankers.set(victim, replacement);
                    TxChild.transfer(accounts, random.nextInt(n), random.nextInt(n), 1); // the parent keeps working too
                    replacement.awaitLine("WORKING", TIMEOUT);
                }
            } finally {
                for (ChildJvm banker : bankers) {
                    banker.close();
                }
            }
            assertThat(TxChild.total(accounts)).isEqualTo(n * 1_000L);
            for (int i = 0; i < n; i++) {
                accounts.get(i).update(v -> v); // every struct's lock can be taken: none is left held
            }
            assertThat(TxChild.total(accounts)).isEqualTo(n * 1_000L);
            accounts.unlink();
        }
    }

    /** Another JVM adds to a field while this one's transactions move it: the adds change the version, none is lost. */
    @Test
    void shouldLoseNoAddOfAnotherJvmToAFieldThatTransactionsMove() throws Exception {
        int adds = 200_000;
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 2)) {
            accounts.get(0).balance(1_000);
            accounts.get(1).balance(1_000);
            Random random = new Random(7);
            try (ChildJvm adder = ChildJvm.start(List.of(), StructChild.class, shm.path().toString(), "bank", "add",
                    Integer.toString(adds))) {
                adder.awaitLine("READY", TIMEOUT);
                int transfers = 0;
                while (!adder.hasPrinted("DONE") || transfers < 1_000) {
                    int from = random.nextInt(2);
                    TxChild.transfer(accounts, from, 1 - from, 1 + random.nextInt(10));
                    transfers++;
                }
                adder.awaitLine("DONE", TIMEOUT);
            }
            assertThat(accounts.get(0).balance() + accounts.get(1).balance()).isEqualTo(2_000L + adds);
            accounts.unlink();
        }
    }

    /**
     * A transaction reads a field, then another JVM is SIGKILLed inside a single-field add of it: the survivor's
     * recovery changes the struct's version, so the transaction retries on the value with the add (written) or
     * without it (killed before the store), never writes over it, and the lock is free.
     */
    @ParameterizedTest(name = "killed at {0}")
    @CsvSource({"struct.field.odd, 105", "struct.field.written, 106"})
    void shouldRetryATransactionOverAnAddOfAJvmKilledInIt(String point, long expected) throws Exception {
        try (StructArray<Account> accounts = StructArray.create(shm.directory(), "bank", TYPE, 1)) {
            Account account = accounts.get(0);
            account.balance(100);
            int[] attempts = {0};
            Transactions.atomic(accounts, tx -> {
                long balance = tx.getLong(account, "balance");
                if (attempts[0]++ == 0) {
                    try (ChildJvm adder = ChildJvm.start(List.of("-D" + CrashPoints.PROPERTY + "=" + point),
                            StructChild.class, shm.path().toString(), "bank", "add", "1")) {
                        adder.awaitLine("PARKED", TIMEOUT);
                        adder.kill();
                    }
                }
                tx.setLong(account, "balance", balance + 5);
            });
            assertThat(attempts[0]).isEqualTo(2);
            assertThat(account.balance()).isEqualTo(expected);
            assertThat(account.addBalance(1)).isEqualTo(expected + 1); // the lock is free
            assertThat(accounts.recoveries()).isEqualTo(1);
            accounts.unlink();
        }
    }
}
