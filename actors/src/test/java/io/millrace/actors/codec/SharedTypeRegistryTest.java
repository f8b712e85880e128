package io.millrace.actors.codec;

import io.millrace.actors.codec.Messages.FakeRef;
import io.millrace.actors.codec.SharedTypeRegistry.TypeTable;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedTypeRegistryTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    private final Arena arena = Arena.ofShared();

    @org.junit.jupiter.api.AfterEach
    void closeArena() {
        arena.close();
    }

    private MemorySegment block(int entries) {
        return arena.allocate(TypeTable.ENTRIES_OFFSET + (long) entries * TypeTable.ENTRY_LENGTH, 128);
    }

    private static SharedTypeRegistry over(MemorySegment block, AtomicLong clock, long staleMillis, long readMillis) {
        return new SharedTypeRegistry(block, null, clock::get, Duration.ofMillis(staleMillis),
                Duration.ofMillis(readMillis));
    }

    /** Writes entry {@code id} as claimed at {@code millis} and never published, as a claimant that died would. */
    private static void claimWithoutPublishing(MemorySegment block, int id, long millis) {
        long entry = TypeTable.ENTRIES_OFFSET + (long) id * TypeTable.ENTRY_LENGTH;
        block.set(ValueLayout.JAVA_LONG, entry, TypeTable.CLAIMED | millis);
        block.set(ValueLayout.JAVA_INT, TypeTable.CLAIMED_OFFSET, id + 1);
    }

    private static void publish(MemorySegment block, int id, String name) {
        long entry = TypeTable.ENTRIES_OFFSET + (long) id * TypeTable.ENTRY_LENGTH;
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        block.set(ValueLayout.JAVA_INT, entry + TypeTable.NAME_LENGTH_OFFSET, bytes.length);
        MemorySegment.copy(bytes, 0, block, ValueLayout.JAVA_BYTE, entry + TypeTable.NAME_OFFSET, bytes.length);
        ValueLayout.JAVA_LONG.varHandle().setRelease(block, entry, TypeTable.PUBLISHED);
    }

    @Test
    void shouldAgreeOnIdsWhateverOrderTwoHandlesRegisterIn() {
        List<String> names = List.of("a.One", "b.Two", "c.Three", "d.Four", "e.Five");
        try (SharedTypeRegistry first = SharedTypeRegistry.open(shm.directory(), TIMEOUT);
             SharedTypeRegistry second = SharedTypeRegistry.open(shm.directory(), TIMEOUT)) {
            List<Integer> firstIds = new ArrayList<>();
            for (String name : names) {
                firstIds.add(first.idOf(name));
            }
            List<Integer> secondIds = new ArrayList<>();
            for (String name : names.reversed()) {
                secondIds.add(0, second.idOf(name));
            }

            assertThat(secondIds).isEqualTo(firstIds).doesNotHaveDuplicates();
            assertThat(second.nameOf(firstIds.get(2))).isEqualTo("c.Three");
            assertThat(first.claimed()).isEqualTo(names.size());
        } finally {
            shm.directory().unlink(SharedTypeRegistry.REGION);
        }
    }

    @Test
    void shouldDecodeMessagesOfACodecWhoseTypesWereRegisteredInAnotherOrder() {
        try (SharedTypeRegistry first = SharedTypeRegistry.open(shm.directory(), TIMEOUT);
             SharedTypeRegistry second = SharedTypeRegistry.open(shm.directory(), TIMEOUT)) {
            MessageCodec writer = new MessageCodec(first).resolver(FakeRef::new);
            MessageCodec reader = new MessageCodec(second).resolver(FakeRef::new);
            Random random = new Random(11);
            for (String kind : Messages.KINDS.reversed()) {
                reader.sizeOf(Messages.sample(kind, random)); // the reader's process registers first, backwards
            }
            random = new Random(12);
            for (String kind : Messages.KINDS) {
                Object message = Messages.sample(kind, random);
                if (!(message instanceof Messages.Arrays) && !(message instanceof long[])) {
                    assertThat(reader.decode(writer.encode(message))).as(kind).isEqualTo(message);
                }
            }
        } finally {
            shm.directory().unlink(SharedTypeRegistry.REGION);
        }
    }

    @Test
    void shouldSkipAnUnpublishedEntryOfADeadClaimant() {
        MemorySegment block = block(8);
        AtomicLong clock = new AtomicLong(1_000_000);
        SharedTypeRegistry registry = over(block, clock, 500, 100);
        claimWithoutPublishing(block, 0, clock.get());
        clock.addAndGet(501);

        int id = registry.idOf("com.example.Late");

        assertThat(id).isEqualTo(1);
        assertThat(registry.nameOf(1)).isEqualTo("com.example.Late");
        assertThat(block.get(ValueLayout.JAVA_LONG, TypeTable.ENTRIES_OFFSET)).isEqualTo(TypeTable.ABANDONED);
        assertThatThrownBy(() -> over(block, clock, 500, 100).nameOf(0)).isInstanceOf(CodecException.class)
                .hasMessageContaining("type id=0 was abandoned");
    }

    @Test
    void shouldWaitForAClaimedEntryThatIsBeingPublished() throws Exception {
        MemorySegment block = block(8);
        AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        claimWithoutPublishing(block, 0, clock.get());
        SharedTypeRegistry registry = over(block, clock, 60_000, 60_000);

        CompletableFuture<String> name = CompletableFuture.supplyAsync(() -> registry.nameOf(0));
        CompletableFuture<Integer> id = CompletableFuture.supplyAsync(() -> registry.idOf("com.example.Busy"));
        publish(block, 0, "com.example.Busy");

        assertThat(name.get(10, TimeUnit.SECONDS)).isEqualTo("com.example.Busy");
        assertThat(id.get(10, TimeUnit.SECONDS)).as("found, not registered again").isZero();
    }

    @Test
    void shouldTimeOutReadingAnEntryThatIsNeverPublished() {
        MemorySegment block = block(8);
        AtomicLong clock = new AtomicLong(System.currentTimeMillis());
        claimWithoutPublishing(block, 0, clock.get());

        assertThatThrownBy(() -> over(block, clock, 60_000, 50).nameOf(0)).isInstanceOf(CodecException.class)
                .hasMessageContaining("type id=0 was claimed").hasMessageContaining("not published within");
    }

    @Test
    void shouldReportAFullTable() {
        SharedTypeRegistry registry = over(block(2), new AtomicLong(), 500, 100);
        registry.idOf("a.A");
        registry.idOf("b.B");

        assertThat(registry.idOf("a.A")).isZero();
        assertThatThrownBy(() -> registry.idOf("c.C")).isInstanceOf(TypeTableFullException.class)
                .hasMessageContaining("capacity=2").hasMessageContaining("c.C");
    }

    @Test
    void shouldRefuseUnknownIdsAndABlockThatIsNotATypeTable() {
        MemorySegment block = block(4);
        SharedTypeRegistry registry = over(block, new AtomicLong(), 500, 100);

        assertThatThrownBy(() -> registry.nameOf(2)).isInstanceOf(CodecException.class)
                .hasMessageContaining("no type registered under id=2");
        assertThatThrownBy(() -> registry.nameOf(4)).isInstanceOf(CodecException.class)
                .hasMessageContaining("capacity=4");

        MemorySegment foreign = block(4);
        foreign.set(ValueLayout.JAVA_LONG, 0, 0x1234L);
        assertThatThrownBy(() -> SharedTypeRegistry.over(foreign)).isInstanceOf(CodecException.class)
                .hasMessageContaining("not a type table: format=0x1234");
    }

    @Test
    void shouldRefuseANameLongerThanAnEntry() {
        SharedTypeRegistry registry = over(block(4), new AtomicLong(), 500, 100);

        assertThatThrownBy(() -> registry.idOf("x".repeat(SharedTypeRegistry.MAX_NAME_BYTES + 1)))
                .isInstanceOf(CodecException.class).hasMessageContaining("longer than the "
                        + SharedTypeRegistry.MAX_NAME_BYTES);
    }

    @Test
    void shouldGiveEveryNameAnIdThatNamesItWhenThreadsRegisterAtOnce() throws Exception {
        MemorySegment block = block(1024);
        int threads = 4;
        CyclicBarrier start = new CyclicBarrier(threads);
        ConcurrentHashMap<String, Integer> seen = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    SharedTypeRegistry own = SharedTypeRegistry.over(block); // a process's handle of its own
                    start.await();
                    for (int i = 0; i < 100; i++) {
                        String name = "n.Name" + ((i + offset * 25) % 100);
                        int id = own.idOf(name);
                        seen.merge(name, 1, Integer::sum);
                        assertThat(own.nameOf(id)).isEqualTo(name);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        SharedTypeRegistry fresh = SharedTypeRegistry.over(block);
        assertThat(seen).hasSize(100);
        assertThat(fresh.claimed()).isBetween(100, 400);
        for (String name : seen.keySet()) {
            assertThat(fresh.nameOf(fresh.idOf(name))).isEqualTo(name);
        }
    }
}
