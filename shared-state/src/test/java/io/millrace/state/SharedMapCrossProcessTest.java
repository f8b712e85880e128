package io.millrace.state;

import io.millrace.actors.codec.MessageCodec;
import io.millrace.actors.codec.SharedTypeRegistry;
import io.millrace.shm.ChildJvm;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SharedMapCrossProcessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();
    private SharedTypeRegistry registry;
    private MessageCodec codec;

    @BeforeEach
    void openRegistry() {
        registry = SharedTypeRegistry.open(shm.directory(), TIMEOUT);
        codec = new MessageCodec(registry);
    }

    @AfterEach
    void closeRegistry() {
        registry.close();
        shm.directory().unlink(SharedTypeRegistry.REGION);
    }

    private SharedMap<String, Long> create(long entries) {
        return SharedMap.create(shm.directory(), "map", new SharedMap.Capacity(entries, 8, 8),
                EntryCodec.of(codec, String.class), EntryCodec.of(codec, Long.class));
    }

    private ChildJvm child(List<String> options, String... args) {
        List<String> all = new ArrayList<>(List.of(shm.path().toString(), "map"));
        all.addAll(List.of(args));
        return ChildJvm.start(options, MapChild.class, all.toArray(String[]::new));
    }

    @Test
    void shouldSeeInEachJvmWhatTheOtherPut() throws Exception {
        try (SharedMap<String, Long> map = create(100)) {
            try (ChildJvm writer = child(List.of(), "put", "from-child", "7")) {
                assertThat(writer.awaitExit(TIMEOUT)).isZero();
            }
            assertThat(map.get("from-child")).isEqualTo(7L);
            map.put("from-parent", 9L);
            try (ChildJvm reader = child(List.of(), "get", "from-parent")) {
                assertThat(reader.awaitLine("VALUE", TIMEOUT)).isEqualTo("VALUE 9");
                assertThat(reader.awaitExit(TIMEOUT)).isZero();
            }
            map.unlink();
        }
    }

    @Test
    void shouldLoseNoMergeOfTwoJvmsOnTheSameKeys() throws Exception {
        int keys = 50;
        int rounds = 2_000;
        try (SharedMap<String, Long> map = create(100);
             ChildJvm a = child(List.of(), "merge", Integer.toString(keys), Integer.toString(rounds));
             ChildJvm b = child(List.of(), "merge", Integer.toString(keys), Integer.toString(rounds))) {
            assertThat(a.awaitExit(TIMEOUT)).as("%s", a.transcript()).isZero();
            assertThat(b.awaitExit(TIMEOUT)).as("%s", b.transcript()).isZero();
            for (int k = 0; k < keys; k++) {
                assertThat(map.get("k" + k)).as("k%d", k).isEqualTo(2L * rounds);
            }
            assertThat(map.size()).isEqualTo(keys);
            assertThat(map.check()).isEmpty();
            map.unlink();
        }
    }

    @Test
    void shouldStayConsistentAndUnblockedWhileJvmsAreKilledAtRandomInTheirMerges() throws Exception {
        Random random = new Random(16);
        int keys = 20;
        int survivorRounds = 5_000;
        int kills = 6;
        try (SharedMap<String, Long> map = create(100);
             ChildJvm survivor = child(List.of(), "merge", Integer.toString(keys), Integer.toString(survivorRounds))) {
            for (int i = 0; i < kills; i++) {
                try (ChildJvm victim = child(List.of(), "merge", Integer.toString(keys), "100000000")) {
                    victim.awaitLine("READY", TIMEOUT);
                    Thread.sleep(20 + random.nextInt(200)); // not a synchronisation: a random moment to kill it at
                    victim.kill();
                }
                for (int k = 0; k < keys; k++) {
                    map.merge("k" + k, 1L, Long::sum); // takes the lock over when the victim died holding it
                }
            }
            assertThat(survivor.awaitExit(TIMEOUT)).as("%s", survivor.transcript()).isZero();
            assertThat(map.check()).isEmpty();
            assertThat(map.size()).isEqualTo(keys);
            for (int k = 0; k < keys; k++) {
                assertThat(map.get("k" + k)).isGreaterThanOrEqualTo((long) survivorRounds + kills);
            }
            map.unlink();
        }
    }

    /**
     * The child parks at {@code point} inside one operation on key k3 (or the new key), holding the only segment's
     * lock; it is SIGKILLed there. Survivors read, write and find the map as before the operation (undone), or as
     * after it once it committed; the lock is not left blocking.
     */
    @ParameterizedTest(name = "{0} {1} killed at {3}")
    @CsvSource({
            "put, fresh, 77, map.payload, false", "put, fresh, 77, map.logged1, false",
            "put, fresh, 77, map.write1, false", "put, fresh, 77, map.write2, false",
            "put, fresh, 77, map.logged3, false", "put, fresh, 77, map.write3, false",
            "put, fresh, 77, map.committed, true",
            "put, k3, 77, map.write1, false", "put, k3, 77, map.logged2, false", "put, k3, 77, map.write2, false",
            "put, k3, 77, map.write3, false", "put, k3, 77, map.committed, true",
            "remove, k3, 0, map.write1, false", "remove, k3, 0, map.write2, false", "remove, k3, 0, map.write3, false",
            "remove, k3, 0, map.write4, false", "remove, k3, 0, map.committed, true"})
    void shouldUndoOrKeepTheOperationOfAJvmKilledInsideItAndGoOn(String op, String key, long value, String point,
                                                                 boolean committed) throws Exception {
        try (SharedMap<String, Long> map = create(100)) {
            for (int k = 0; k < 10; k++) {
                map.put("k" + k, (long) k);
            }
            List<String> args = op.equals("put") ? List.of(op, key, Long.toString(value)) : List.of(op, key);
            try (ChildJvm child = child(List.of("-D" + CrashPoints.PROPERTY + "=" + point), args.toArray(String[]::new))) {
                child.awaitLine("PARKED", TIMEOUT);
                child.kill();
            }
            Long before = key.equals("fresh") ? null : 3L;
            Long after = op.equals("put") ? value : null;
            map.put("k9", 900L); // a writer first: it takes the lock over and must recover before its own write
            assertThat(map.check()).isEmpty();
            for (int k = 0; k < 9; k++) {
                if (k != 3) {
                    assertThat(map.get("k" + k)).isEqualTo((long) k);
                }
            }
            assertThat(map.get(key)).isEqualTo(committed ? after : before);
            assertThat(map.get("k9")).isEqualTo(900L);
            long expectedSize = 10 + (key.equals("fresh") && committed ? 1 : 0) - (op.equals("remove") && committed ? 1 : 0);
            assertThat(map.size()).isEqualTo(expectedSize);
            assertThat(map.recoveries()).isEqualTo(1);
            map.unlink();
        }
    }
}
