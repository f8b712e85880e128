package io.millrace.shm;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.millrace.shm.RegionFiles.ATOMIC_INT;
import static io.millrace.shm.RegionFiles.BLOCK;
import static io.millrace.shm.RegionFiles.MPSC;
import static io.millrace.shm.RegionFiles.SPSC;
import static io.millrace.shm.RegionFiles.entry;
import static io.millrace.shm.RegionFiles.structure;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Attach and inspect refuse a region whose header, directory or ring headers hold values no region can have, with
 * {@code CORRUPT} and the field named, instead of failing later with a raw exception or accepting it.
 */
class RegionValidationTest {
    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    static Stream<Arguments> damages() {
        return Stream.of(
                damage("participantCapacity=0", s -> s.set(JAVA_INT, RegionDescriptor.PARTICIPANT_CAPACITY_OFFSET, 0)),
                damage("participantCapacity=65", s -> s.set(JAVA_INT, RegionDescriptor.PARTICIPANT_CAPACITY_OFFSET, 65)),
                damage("directoryCount=-1", s -> s.set(JAVA_INT, RegionDescriptor.DIRECTORY_COUNT_OFFSET, -1)),
                damage("directoryCount=100000", s -> s.set(JAVA_INT, RegionDescriptor.DIRECTORY_COUNT_OFFSET, 100_000)),
                damage("regionSize=-1", s -> s.set(JAVA_LONG, RegionDescriptor.REGION_SIZE_OFFSET, -1L)),
                damage("regionSize=100", s -> s.set(JAVA_LONG, RegionDescriptor.REGION_SIZE_OFFSET, 100L)),
                damage("nameLength=0", s -> s.set(JAVA_BYTE, entry(SPSC) + RegionDescriptor.ENTRY_NAME_OFFSET, (byte) 0)),
                damage("invalid structure name '/psc'",
                        s -> s.set(JAVA_BYTE, entry(SPSC) + RegionDescriptor.ENTRY_NAME_OFFSET + 1, (byte) '/')),
                damage("name='spsc' appears twice", s -> MemorySegment.copy(s, entry(SPSC), s, entry(MPSC), 40)),
                damage("kind=99", s -> s.set(JAVA_INT, entry(MPSC) + RegionDescriptor.ENTRY_KIND_OFFSET, 99)),
                damage("capacity=3000 of a SPSC_RING must be a power of two",
                        s -> s.set(JAVA_INT, entry(SPSC) + RegionDescriptor.ENTRY_CAPACITY_OFFSET, 3000)),
                damage("capacity=0 of a BLOCK", s -> s.set(JAVA_INT, entry(BLOCK) + RegionDescriptor.ENTRY_CAPACITY_OFFSET, 0)),
                damage("capacity=5 of a ATOMIC_INT must be 0",
                        s -> s.set(JAVA_INT, entry(ATOMIC_INT) + RegionDescriptor.ENTRY_CAPACITY_OFFSET, 5)),
                damage("length=99", s -> s.set(JAVA_LONG, entry(BLOCK) + RegionDescriptor.ENTRY_LENGTH_OFFSET, 99L)),
                damage("'mpsc': offset=", s -> { // a ring of 1 MiB: its entry consistent, running past the file
                    s.set(JAVA_INT, entry(MPSC) + RegionDescriptor.ENTRY_CAPACITY_OFFSET, 1 << 20);
                    s.set(JAVA_LONG, entry(MPSC) + RegionDescriptor.ENTRY_LENGTH_OFFSET, RingDescriptor.length(1 << 20));
                }),
                damage("'spsc': offset=0", s -> s.set(JAVA_LONG, entry(SPSC) + RegionDescriptor.ENTRY_OFFSET_OFFSET, 0L)),
                damage("'spsc': offset=200", s -> s.set(JAVA_LONG, entry(SPSC) + RegionDescriptor.ENTRY_OFFSET_OFFSET, 200L)),
                damage("overlaps 'spsc'", s -> s.set(JAVA_LONG, entry(MPSC) + RegionDescriptor.ENTRY_OFFSET_OFFSET,
                        structure(s, SPSC) + RingDescriptor.HEADER_LENGTH)),
                damage("ring 'mpsc' header: kind=1", ring(MPSC, RingDescriptor.KIND_OFFSET, RingDescriptor.KIND_SPSC)),
                damage("ring 'spsc' header: capacity=8192", ring(SPSC, RingDescriptor.CAPACITY_OFFSET, 8192)),
                damage("maxMessageLength=4096", ring(SPSC, RingDescriptor.MAX_MESSAGE_LENGTH_OFFSET, 4096)),
                damage("consumer=0x100000005", ringLong(SPSC, RingDescriptor.CONSUMER_OFFSET, 1L << 32 | 5)),
                damage("consumer=0xfffffffffffffffe", ringLong(MPSC, RingDescriptor.CONSUMER_OFFSET, -2L)),
                damage("spscProducer=0x100000009", ringLong(SPSC, RingDescriptor.SPSC_PRODUCER_OFFSET, 1L << 32 | 9)),
                damage("producer table entry 2", ringLong(MPSC, RingDescriptor.PRODUCER_TABLE_OFFSET
                        + 2 * RingDescriptor.PRODUCER_ENTRY_LENGTH, 1L << 32 | 2)),
                damage("is ahead of tail", ringLong(SPSC, RingDescriptor.HEAD_OFFSET, 1L << 20)),
                damage("more than capacity=4096 ahead of head", s -> s.set(JAVA_LONG,
                        structure(s, MPSC) + RingDescriptor.TAIL_OFFSET,
                        s.get(JAVA_LONG, structure(s, MPSC) + RingDescriptor.HEAD_OFFSET) + 4096 + 8)),
                damage("multiples of 8", ringLong(MPSC, RingDescriptor.TAIL_OFFSET, 4099L)),
                damage("head=-8", ringLong(MPSC, RingDescriptor.HEAD_OFFSET, -8L)),
                damage("releasing=", ringLong(SPSC, RingDescriptor.RELEASING_OFFSET, 1L << 40)),
                damage("cleaned=1048576", ringLong(MPSC, RingDescriptor.CLEANED_OFFSET, 1L << 20)),
                damage("cleaned=0 must be", ringLong(MPSC, RingDescriptor.CLEANED_OFFSET, 0L)),
                damage("cleaner=0x100000009", ringLong(MPSC, RingDescriptor.CLEANER_OFFSET, 1L << 32 | 9)),
                damage("skippedRecords=-1", ringLong(MPSC, RingDescriptor.SKIPPED_RECORDS_OFFSET, -1L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void shouldRefuseACorruptRegionNamingTheFieldOnAttachAndInspect(String named, Consumer<MemorySegment> damage)
            throws IOException {
        Path file = RegionFiles.createUsed(shm.directory(), "damaged");
        RegionFiles.edit(file, damage);
        try {
            assertThatThrownBy(() -> RegionFiles.attachAndClose(shm.directory(), "damaged"))
                    .isInstanceOfSatisfying(RegionException.class,
                            e -> assertThat(e.reason()).isEqualTo(RegionException.Reason.CORRUPT))
                    .hasMessageContaining("region 'damaged' is corrupt").hasMessageContaining(named);
            assertThatThrownBy(() -> shm.directory().inspect("damaged"))
                    .isInstanceOfSatisfying(RegionException.class,
                            e -> assertThat(e.reason()).isEqualTo(RegionException.Reason.CORRUPT))
                    .hasMessageContaining(named);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void shouldAttachAndInspectAnUndamagedRegionWithRecordsInItsRings() throws IOException {
        Path file = RegionFiles.createUsed(shm.directory(), "sound");
        try (SharedRegion region = shm.directory().attach("sound", java.time.Duration.ZERO)) {
            assertThat(region.structures()).hasSize(5);
            assertThat(shm.directory().inspect("sound").rings()).allSatisfy(r -> assertThat(r.lag()).isPositive());
        } finally {
            Files.delete(file);
        }
    }

    private static Arguments damage(String named, Consumer<MemorySegment> damage) {
        return Arguments.of(named, damage);
    }

    private static Consumer<MemorySegment> ring(int index, long field, int value) {
        return s -> s.set(ValueLayout.JAVA_INT, structure(s, index) + field, value);
    }

    private static Consumer<MemorySegment> ringLong(int index, long field, long value) {
        return s -> s.set(ValueLayout.JAVA_LONG, structure(s, index) + field, value);
    }
}
