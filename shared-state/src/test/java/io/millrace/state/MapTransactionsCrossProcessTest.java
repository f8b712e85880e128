package io.millrace.state;

import io.millrace.shm.ChildJvm;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MapTransactionsCrossProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int ACCOUNTS = 1_000;

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    /**
     * The child commits a transfer of 30 from account 1 to account 2 of a map and is SIGKILLed at a step of its commit
     * (inside the first logged mutation of the apply too): before the commit point the transfer is dropped, after it
     * the transfer is finished by whoever needs the entries next; the map's chains stay well formed.
     */
    @ParameterizedTest(name = "killed at {0}")
    @CsvSource({"maptx.locked, false", "maptx.decided, true", "map.payload, true", "map.logged2, true",
            "map.committed, true", "maptx.applied, true"})
    void shouldFinishOrDropTheMapCommitOfAJvmKilledInItWholly(String point, boolean applied) throws Exception {
        try (SharedMap<Long, Long> map = MapTxChild.create(shm.directory(), "bank", ACCOUNTS, 100)) {
            try (ChildJvm child = ChildJvm.start(List.of("-D" + CrashPoints.PROPERTY + "=" + point), MapTxChild.class,
                    shm.path().toString(), "bank", "transfer", "1", "2", "30")) {
                child.awaitLine("PARKED", TIMEOUT);
                child.kill();
            }
            MapTxChild.transfer(map, 2, 3, 1); // needs account 2: finishes or drops the dead commit first
            assertThat(map.get(1L)).isEqualTo(applied ? 70 : 100);
            assertThat(map.get(2L)).isEqualTo(applied ? 129 : 99);
            assertThat(map.check()).isEmpty();
            assertThat(MapTxChild.total(map, ACCOUNTS)).isEqualTo(ACCOUNTS * 100L);
            assertThat(map.size()).isEqualTo(ACCOUNTS);
            for (long k = 0; k < ACCOUNTS; k++) {
                map.merge(k, 0L, Long::sum); // every segment's lock can be taken: none is left held
            }
            assertThat(map.recoveries()).isEqualTo(1);
            map.unlink();
        }
    }
}
