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

    private static long total(StructArray<Account> accounts) {
        return Transactions.atomicGet(accounts, tx -> {
            long sum = 0;
            for (int i = 0; i < accounts.length(); i++) {
                long balance = tx.getLong(accounts.get(i), "balance");
                assertThat(balance).as("account %d", i).isNotNegative();
                sum += balance;
            }
            return sum;
        });
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
            assertThat(total(accounts)).isEqualTo(400);
            assertThat(accounts.recoveries()).isEqualTo(1);
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
            assertThat(total(accounts)).isEqualTo(n * 1_000L);
            for (int i = 0; i < n; i++) {
                accounts.get(i).update(v -> v); // every struct's lock can be taken: none is left held
            }
            assertThat(total(accounts)).isEqualTo(n * 1_000L);
            accounts.unlink();
        }
    }
}
