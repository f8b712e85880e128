package io.millrace.shm;

import java.io.IOException;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Damages a valid region (two rings with records in them, two atomics, a block) in {@value #CASES} seeded ways: flips
 * bytes, rewrites fields with edge values, truncates the file. Then attaches, inspects, polls and offers on its rings.
 *
 * <p>Allowed outcomes: a {@link ShmException} (a {@link RegionException} with a reason), the documented
 * {@code IllegalStateException} of a second consumer or producer, or working on. Forbidden: any other runtime
 * exception from attach or inspect, an {@link Error}, a hang (5 s per case).
 *
 * <p>Damage to ring data, or to ring-header fields that attach cannot judge (head cache, signals, takeover points),
 * meets the consumer's record validation ({@link CorruptRecordException}). With {@link #STRICT_RING_OPERATIONS} unset,
 * raw exceptions of ring operations there would be collected in {@link #RAW_RING_EXCEPTIONS_TOLERATED} and printed;
 * it is set, so damage anywhere must give only allowed outcomes, ring operations included.
 */
class CorruptRegionSweepTest {
    static final int CASES = 600;
    /** True since rings validate the records they read: no raw exception is tolerated. */
    static final boolean STRICT_RING_OPERATIONS = true;
    /** Seed and what went wrong, for the cases whose ring operations threw a raw exception. */
    static final Map<Long, String> RAW_RING_EXCEPTIONS_TOLERATED = new ConcurrentSkipListMap<>();

    /** How many cases of each area ended how: printed at the end, to show what the sweep reached. */
    static final Map<String, Integer> OUTCOMES = new ConcurrentSkipListMap<>();

    private static final long MASTER_SEED = 0x5EED_11L;
    private static byte[] template;

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    /** What a case damaged. */
    enum Area { HEADER, PARTICIPANTS, DIRECTORY, RING_HEADER, RING_DATA, ATOMICS_AND_BLOCK, TRUNCATION }

    /** One damage: where, a description for the failure message, and the damaged file's bytes. */
    record Damage(Area area, String description, byte[] bytes) {
        @Override
        public String toString() {
            return description;
        }
    }

    static LongStream seeds() {
        Random seeds = new Random(MASTER_SEED);
        return LongStream.generate(seeds::nextLong).limit(CASES);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void shouldRefuseWithANamedReasonOrWorkOnWhateverTheDamage(long seed) throws IOException {
        byte[] bytes = template(shm.directory()).clone();
        Damage damage = damage(new Random(seed), bytes);
        Path file = shm.directory().file("damaged");
        RegionFiles.write(file, damage.bytes());
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> exercise(seed, damage),
                    () -> "seed=" + seed + " hung after " + damage);
        } finally {
            Files.delete(file);
        }
    }

    @AfterAll
    static void reportTolerated() {
        System.out.println("CorruptRegionSweepTest outcomes: " + OUTCOMES);
        if (!RAW_RING_EXCEPTIONS_TOLERATED.isEmpty()) {
            System.out.println("CorruptRegionSweepTest: " + RAW_RING_EXCEPTIONS_TOLERATED.size() + " of " + CASES
                    + " cases threw a raw exception from a ring operation (tolerated until rings validate records):");
            RAW_RING_EXCEPTIONS_TOLERATED.forEach((seed, what) -> System.out.println("  seed=" + seed + ": " + what));
        }
    }

    private void exercise(long seed, Damage damage) {
        ShmDirectory directory = shm.directory();
        allowed(damage, "inspect", () -> directory.inspect("damaged"));
        SharedRegion region;
        try {
            region = directory.attach("damaged", Duration.ZERO);
        } catch (ShmException refused) {
            OUTCOMES.merge(damage.area() + " refused " + (refused instanceof RegionException r ? r.reason()
                    : refused.getClass().getSimpleName()), 1, Integer::sum);
            return;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("attach threw " + e + " after " + damage, e);
        }
        OUTCOMES.merge(damage.area() + " attached", 1, Integer::sum);
        try (region) {
            boolean tolerated = !STRICT_RING_OPERATIONS
                    && (damage.area() == Area.RING_HEADER || damage.area() == Area.RING_DATA);
            for (String ring : new String[] {"spsc", "mpsc"}) {
                try {
                    useRing(region.ring(ring));
                } catch (ShmException | IllegalStateException named) {
                    OUTCOMES.merge(damage.area() + " ring " + named.getClass().getSimpleName(), 1, Integer::sum);
                    assertThat(named).as("seed=%s %s", seed, damage).satisfies(CorruptRegionSweepTest::isNamed);
                } catch (RuntimeException raw) {
                    if (!tolerated) {
                        throw new AssertionError("ring '" + ring + "' threw " + raw + " after " + damage, raw);
                    }
                    RAW_RING_EXCEPTIONS_TOLERATED.put(seed, raw + " on ring '" + ring + "' after " + damage);
                }
            }
            allowed(damage, "atomic long", () -> region.atomicLong("count").incrementAndGet());
            allowed(damage, "atomic int", () -> region.atomicInt("flag").incrementAndGet());
            allowed(damage, "block", () -> region.block("table").fill((byte) 1));
            allowed(damage, "inspect after use", () -> directory.inspect("damaged"));
        }
    }

    private static void isNamed(RuntimeException e) {
        if (e instanceof IllegalStateException && !(e instanceof ShmException)) {
            assertThat(e.getMessage()).containsAnyOf("already has a consumer", "already has a producer");
        }
    }

    private static void useRing(Ring ring) {
        byte[] copy = new byte[ring.capacity()];
        RecordHandler handler = (type, buffer, offset, length) -> MemorySegment.copy(buffer, offset,
                MemorySegment.ofArray(copy), 0, length);
        for (int i = 0; i < 4; i++) {
            ring.poll(handler, 8);
        }
        ring.offer(3, new byte[100], 0, 100);
        ring.poll(handler, 8);
        ring.stats();
    }

    private static void allowed(Damage damage, String what, Runnable action) {
        try {
            action.run();
        } catch (ShmException named) {
            assertThat(named.getMessage()).as("message of %s", named).isNotBlank();
        } catch (RuntimeException | Error e) {
            throw new AssertionError(what + " threw " + e + " after " + damage, e);
        }
    }

    private static synchronized byte[] template(ShmDirectory directory) throws IOException {
        if (template == null) {
            Path file = RegionFiles.createUsed(directory, "template");
            template = Files.readAllBytes(file);
            Files.delete(file);
        }
        return template;
    }

    // ---------------------------------------------------------------- damages

    private static Damage damage(Random random, byte[] bytes) {
        ByteBuffer file = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        List<long[]> structures = new ArrayList<>(); // offset, length of each structure
        for (int i = 0; i < 5; i++) {
            long at = RegionFiles.entry(i);
            structures.add(new long[] {file.getLong((int) (at + RegionDescriptor.ENTRY_OFFSET_OFFSET)),
                    file.getLong((int) (at + RegionDescriptor.ENTRY_LENGTH_OFFSET))});
        }
        int dice = random.nextInt(100);
        if (dice < 5) {
            int length = random.nextInt(bytes.length);
            return new Damage(Area.TRUNCATION, "truncated to " + length + " of " + bytes.length + " bytes",
                    Arrays.copyOf(bytes, length));
        }
        Area area;
        long from;
        long length;
        List<long[]> fields = new ArrayList<>(); // offset, width of the named fields of the area
        if (dice < 20) {
            area = Area.HEADER;
            from = 0;
            length = RegionDescriptor.HEADER_LENGTH;
            fields(fields, 0, RegionDescriptor.HEADER);
        } else if (dice < 25) {
            area = Area.PARTICIPANTS;
            from = RegionDescriptor.PARTICIPANTS_OFFSET;
            length = RegionFiles.PARTICIPANTS * RegionDescriptor.PARTICIPANT_LENGTH;
            for (int slot = 0; slot < RegionFiles.PARTICIPANTS; slot++) {
                fields(fields, RegionDescriptor.participantOffset(slot), RegionDescriptor.PARTICIPANT);
            }
        } else if (dice < 50) {
            area = Area.DIRECTORY;
            from = RegionFiles.entry(0);
            length = 5 * RegionDescriptor.ENTRY_LENGTH;
            for (int entry = 0; entry < 5; entry++) {
                fields(fields, RegionFiles.entry(entry), RegionDescriptor.DIRECTORY_ENTRY);
            }
        } else if (dice < 80) {
            area = Area.RING_HEADER;
            from = structures.get(random.nextInt(2))[0];
            length = RingDescriptor.HEADER_LENGTH;
            fields(fields, from, RingDescriptor.HEADER);
        } else if (dice < 95) {
            area = Area.RING_DATA;
            long base = structures.get(random.nextInt(2))[0];
            int capacity = file.getInt((int) (base + RingDescriptor.CAPACITY_OFFSET));
            long head = file.getLong((int) (base + RingDescriptor.HEAD_OFFSET));
            long tail = file.getLong((int) (base + RingDescriptor.TAIL_OFFSET));
            from = base + RingDescriptor.HEADER_LENGTH;
            length = capacity;
            for (long position = head; position < tail; position += 8) { // the records not yet delivered
                fields.add(new long[] {from + (position & (capacity - 1)), random.nextBoolean() ? 4 : 8});
            }
        } else {
            area = Area.ATOMICS_AND_BLOCK;
            long[] structure = structures.get(RegionFiles.ATOMIC_LONG + random.nextInt(3));
            from = structure[0];
            length = structure[1];
        }
        String what;
        long[] field = !fields.isEmpty() && random.nextInt(5) > 0 ? fields.get(random.nextInt(fields.size())) : null;
        if (random.nextInt(3) == 0) {
            int flips = 1 + random.nextInt(4);
            StringBuilder text = new StringBuilder("flipped");
            for (int i = 0; i < flips; i++) {
                int at = (int) (field != null ? field[0] + random.nextInt((int) field[1])
                        : from + random.nextInt((int) length));
                int bit = 1 << random.nextInt(8);
                bytes[at] ^= (byte) bit;
                text.append(" bit ").append(Integer.numberOfTrailingZeros(bit)).append(" of byte ").append(at);
            }
            what = text.toString();
        } else {
            int at = (int) (field != null ? field[0] : from + random.nextInt((int) Math.max(1, length / 4)) * 4L);
            long width = field != null ? field[1] : at % 8 == 0 && at + 8 <= from + length && random.nextBoolean() ? 8 : 4;
            if (width == 8) {
                long old = file.getLong(at);
                long value = longValue(random, old);
                file.putLong(at, value);
                what = "long at " + at + ": " + old + " -> " + value;
            } else if (width == 4) {
                int old = file.getInt(at);
                int value = (int) longValue(random, old);
                file.putInt(at, value);
                what = "int at " + at + ": " + old + " -> " + value;
            } else {
                byte old = bytes[at];
                bytes[at] = (byte) longValue(random, old);
                what = "byte at " + at + ": " + old + " -> " + bytes[at];
            }
        }
        return new Damage(area, area + ", " + what, bytes);
    }

    /** Adds the named value fields of {@code layout} at {@code base}: offset and width (the first byte of arrays). */
    private static void fields(List<long[]> fields, long base, StructLayout layout) {
        long offset = 0;
        for (MemoryLayout member : layout.memberLayouts()) {
            if (member.name().isPresent()) {
                if (member instanceof SequenceLayout sequence) {
                    for (long i = 0; i < sequence.elementCount(); i += Math.max(1, sequence.elementCount() / 8)) {
                        fields.add(new long[] {base + offset + i * sequence.elementLayout().byteSize(),
                                Math.min(8, sequence.elementLayout().byteSize())});
                    }
                } else {
                    fields.add(new long[] {base + offset, member.byteSize()});
                }
            }
            offset += member.byteSize();
        }
    }

    private static long longValue(Random random, long old) {
        return switch (random.nextInt(12)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> 1;
            case 3 -> Long.MIN_VALUE;
            case 4 -> Long.MAX_VALUE;
            case 5 -> Integer.MIN_VALUE;
            case 6 -> Integer.MAX_VALUE;
            case 7 -> old + 8;
            case 8 -> old - 8;
            case 9 -> old + 4096;
            case 10 -> 1L << random.nextInt(63);
            default -> random.nextLong();
        };
    }
}
