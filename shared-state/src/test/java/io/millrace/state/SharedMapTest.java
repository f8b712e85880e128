package io.millrace.state;

import io.millrace.actors.codec.MessageCodec;
import io.millrace.actors.codec.SharedTypeRegistry;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedMapTest {
    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    record Key(String name, int id) {
    }

    static MessageCodec codec() {
        return new MessageCodec(SharedTypeRegistry.over(Arena.ofAuto().allocate(SharedTypeRegistry.DEFAULT_BYTES, 128)));
    }

    private SharedMap<String, Long> create(String name, long entries) {
        MessageCodec codec = codec();
        return SharedMap.create(shm.directory(), name, new SharedMap.Capacity(entries, 8, 8),
                EntryCodec.of(codec, String.class), EntryCodec.of(codec, Long.class));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42})
    void shouldAgreeWithAHashMapOverARandomSequenceOfOperations(long seed) {
        Random random = new Random(seed);
        Map<String, Long> reference = new HashMap<>();
        try (SharedMap<String, Long> map = create("m", 2_000)) {
            for (int i = 0; i < 20_000; i++) {
                String key = "key-" + random.nextInt(1_500);
                long value = random.nextInt(1000);
                switch (random.nextInt(6)) {
                    case 0 -> assertThat(map.put(key, value)).isEqualTo(reference.put(key, value));
                    case 1 -> assertThat(map.putIfAbsent(key, value)).isEqualTo(reference.putIfAbsent(key, value));
                    case 2 -> assertThat(map.remove(key)).isEqualTo(reference.remove(key));
                    case 3 -> assertThat(map.merge(key, value, Long::sum)).isEqualTo(reference.merge(key, value, Long::sum));
                    case 4 -> assertThat(map.compute(key, (k, v) -> v == null || v > 500 ? null : v + 1))
                            .isEqualTo(reference.compute(key, (k, v) -> v == null || v > 500 ? null : v + 1));
                    default -> assertThat(map.get(key)).isEqualTo(reference.get(key));
                }
            }
            assertThat(map.size()).isEqualTo(reference.size());
            Map<String, Long> iterated = new HashMap<>();
            map.forEach(iterated::put);
            assertThat(iterated).isEqualTo(reference);
            assertThat(map.check()).isEmpty();
            map.unlink();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8, 9})
    void shouldFindEveryKeyPastRemovedOnesWhenOneSegmentChurns(long seed) {
        Random random = new Random(seed);
        Map<String, Long> reference = new HashMap<>();
        try (SharedMap<String, Long> map = create("churn", 10)) {
            for (int i = 0; i < 20_000; i++) {
                String key = "c" + random.nextInt(40);
                if (random.nextBoolean() && reference.size() < 10) {
                    assertThat(map.put(key, (long) i)).isEqualTo(reference.put(key, (long) i));
                } else {
                    assertThat(map.remove(key)).isEqualTo(reference.remove(key));
                }
                String probe = "c" + random.nextInt(40);
                assertThat(map.get(probe)).as("get %s at step %d", probe, i).isEqualTo(reference.get(probe));
            }
            assertThat(map.check()).isEmpty();
            map.unlink();
        }
    }

    @Test
    void shouldRefuseAMapOfTheOldLayoutAtOpenNamingBothVersions() throws Exception {
        try (SharedMap<String, Long> map = create("old", 100)) {
            map.put("a", 1L);
        }
        rewriteBlock("old", (file, at) -> file.set(ValueLayout.JAVA_INT, at + MapLayout.VERSION_OFFSET, 3)); // chains
        MessageCodec codec = codec();
        assertThatThrownBy(() -> SharedMap.open(shm.directory(), "old", EntryCodec.of(codec, String.class),
                EntryCodec.of(codec, Long.class), Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(SharedStateException.class,
                        e -> assertThat(e.reason()).isEqualTo(SharedStateException.Reason.VERSION_MISMATCH))
                .hasMessageContaining("map 'old'").hasMessageContaining("expected=4 found=3");
        shm.directory().unlink("old");
    }

    @Test
    void shouldCarryRecordKeysAndRawBytes() {
        MessageCodec codec = codec();
        try (SharedMap<Key, String> map = SharedMap.create(shm.directory(), "records", new SharedMap.Capacity(10, 16, 16),
                EntryCodec.of(codec, Key.class), EntryCodec.of(codec, String.class));
             SharedMap<byte[], byte[]> raw = SharedMap.create(shm.directory(), "raw", new SharedMap.Capacity(10, 4, 4),
                     EntryCodec.bytes(), EntryCodec.bytes())) {
            map.put(new Key("a", 1), "one");
            assertThat(map.get(new Key("a", 1))).isEqualTo("one");
            assertThat(map.get(new Key("a", 2))).isNull();
            raw.put(new byte[]{1, 2}, new byte[]{3});
            assertThat(raw.get(new byte[]{1, 2})).containsExactly(3);
            map.unlink();
            raw.unlink();
        }
    }

    @Test
    void shouldRefuseAPutIntoAFullMapAndTakeItOnceAnEntryIsRemoved() {
        try (SharedMap<String, Long> map = create("full", 8)) {
            int n = 0;
            SharedStateException full = null;
            while (full == null && n < 1_000) {
                try {
                    map.put("k" + n, (long) n);
                    n++;
                } catch (SharedStateException e) {
                    full = e;
                }
            }
            assertThat(full).isNotNull();
            assertThat(full.reason()).isEqualTo(SharedStateException.Reason.MAP_FULL);
            assertThat(full).hasMessageContaining("map 'full' is full");
            assertThat(n).isGreaterThanOrEqualTo(8);
            map.put("k0", 100L); // an update of a key still fits
            assertThat(map.get("k0")).isEqualTo(100L);
            map.remove("k1");
            map.put("new", 1L);
            assertThat(map.size()).isEqualTo(n);
            assertThat(map.check()).isEmpty();
            map.unlink();
        }
    }

    @Test
    void shouldRefuseAnEntryLargerThanASlotNamingTheSizes() {
        try (SharedMap<String, Long> map = create("small", 8)) {
            assertThatThrownBy(() -> map.put("k".repeat(100), 1L)).isInstanceOfSatisfying(SharedStateException.class,
                    e -> assertThat(e.reason()).isEqualTo(SharedStateException.Reason.ENTRY_TOO_LARGE))
                    .hasMessageContaining("slotBytes=48");
            map.put("k", 1L); // not locked
            map.unlink();
        }
    }

    @Test
    void shouldReleaseTheLockWhenAComputeFunctionThrows() {
        try (SharedMap<String, Long> map = create("m", 8)) {
            map.put("a", 1L);
            assertThatThrownBy(() -> map.compute("a", (k, v) -> {
                throw new IllegalStateException("boom");
            })).hasMessage("boom");
            assertThat(map.merge("a", 1L, Long::sum)).isEqualTo(2L);
            map.unlink();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"segments", "count", "logLength", "magic"})
    void shouldRefuseACorruptFileAtOpenNamingTheField(String field) throws Exception {
        try (SharedMap<String, Long> map = create("bad", 100)) {
            map.put("a", 1L);
        }
        rewriteBlock("bad", (file, at) -> {
            switch (field) {
                case "segments" -> file.set(ValueLayout.JAVA_INT, at + MapLayout.SEGMENTS_OFFSET, 3);
                case "count" -> file.set(ValueLayout.JAVA_LONG, at + MapLayout.HEADER_BYTES + MapLayout.COUNT, -5);
                case "logLength" -> file.set(ValueLayout.JAVA_LONG, at + MapLayout.HEADER_BYTES + MapLayout.LOG_LENGTH, 99);
                default -> file.set(ValueLayout.JAVA_LONG, at, 0x1234L);
            }
        });
        MessageCodec codec = codec();
        assertThatThrownBy(() -> SharedMap.open(shm.directory(), "bad", EntryCodec.of(codec, String.class),
                EntryCodec.of(codec, Long.class), Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(SharedStateException.class,
                        e -> assertThat(e.reason()).isEqualTo(SharedStateException.Reason.CORRUPT))
                .hasMessageContaining(field + "=");
        shm.directory().unlink("bad");
    }

    /** A map whose creator died before it wrote the magic (laid out last): an opener gives up at its timeout. */
    @Test
    void shouldTimeOutOpeningAMapItsCreatorNeverFinishedLayingOut() throws Exception {
        try (SharedMap<String, Long> map = create("unready", 8)) {
            map.put("a", 1L);
        }
        rewriteBlock("unready", (file, at) -> file.set(ValueLayout.JAVA_LONG, at, 0L)); // as before the magic's store
        MessageCodec codec = codec();
        assertThatThrownBy(() -> SharedMap.open(shm.directory(), "unready", EntryCodec.of(codec, String.class),
                EntryCodec.of(codec, Long.class), Duration.ofMillis(200)))
                .isInstanceOfSatisfying(SharedStateException.class,
                        e -> assertThat(e.reason()).isEqualTo(SharedStateException.Reason.NOT_READY))
                .hasMessageContaining("map 'unready' was not laid out within timeout=PT0.2S");
        shm.directory().unlink("unready");
    }

    /** Maps the closed map's file and gives {@code change} the file and the offset of the map block's header. */
    private void rewriteBlock(String name, BiConsumer<MemorySegment, Long> change) throws Exception {
        try (FileChannel channel = FileChannel.open(shm.directory().file(name), StandardOpenOption.READ,
                StandardOpenOption.WRITE); Arena arena = Arena.ofConfined()) {
            MemorySegment file = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena);
            long at = 0;
            while (file.get(ValueLayout.JAVA_LONG, at) != MapLayout.MAGIC) {
                at += 128;
            }
            change.accept(file, at);
        }
    }
}
