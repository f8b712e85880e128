package io.millrace.shm;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Layout of a ring inside a region: a 1024-byte header of eight 128-byte blocks and a producer table of
 * {@value RegionDescriptor#MAX_PARTICIPANTS} 128-byte entries (one per participant slot), then the data buffer of
 * {@code capacity} bytes (a power of two). Each position counter and each wake-up word is alone on its
 * 128 bytes, so that producers and the consumer never write to the same cache lines (nor adjacent ones,
 * which the hardware prefetches in pairs).
 *
 * <pre>
 *   +------------------------------------------+  0
 *   | tail: bytes claimed by producers (long)  |
 *   +------------------------------------------+  128
 *   | cleaned: zeroed up to here (exclusive)   |  MPSC: producers claim below it, see {@link MpscProducer}
 *   +------------------------------------------+  256
 *   | head: bytes released by the consumer     |
 *   | releasing: where the release under way   |  stored before head (no ring's consumer zeroes
 *   |   ends (head when none is)               |  since layout 6)
 *   +------------------------------------------+  384
 *   | dataSignal: sequence | waiters           |  consumer sleeps here, producers wake it
 *   +------------------------------------------+  512
 *   | spaceSignal: sequence | waiters          |  producers sleep here, the consumer wakes them
 *   +------------------------------------------+  640
 *   | producersLeft | producersJoined          |  producers that left on purpose / registered, ever
 *   | consumer | spscProducer                  |  participant references (incarnation, slot), 0 none
 *   | spscTakeovers: 8 longs                   |  SPSC: tails at which producers took over from dead ones
 *   | producersDied                            |  registrations of producers found dead, ever
 *   +------------------------------------------+  768
 *   | skippedRecords | skippedBytes            |  records of dead producers, never delivered
 *   | cleaner                                  |  MPSC: reference of the producer zeroing ahead of the
 *   |                                          |  claims, 0 when none is (off the line claims read)
 *   +------------------------------------------+  896
 *   | capacity | maxMessageLength | kind       |  written once at creation
 *   +------------------------------------------+  1024
 *   | producer table: 64 entries x 128 bytes   |  MPSC: per participant slot, see {@link ProducerTable}
 *   |   producer | since | announce | announce |
 *   |   End | orphan | orphanEnd               |
 *   +------------------------------------------+  1024 + 8192
 *   | data: capacity bytes of records          |  MPSC: released space zeroed ahead of the claims by
 *   |                                          |  a producer; SPSC: the word after the latest claim
 *   |                                          |  zeroed by the producer
 *   +------------------------------------------+  HEADER_LENGTH + capacity
 * </pre>
 * Since layout version 6 (the version of the region header); version 5 had MPSC consumers zero released space, and
 * a {@code headCache} where {@code cleaned} is; version 4 had SPSC consumers zero it too, and SPSC producers that rely on it; version 3 had slot numbers where references are, a producer bit mask, and no
 * producer table.
 */
final class RingDescriptor {
    static final int KIND_SPSC = 1;
    static final int KIND_MPSC = 2;

    static final StructLayout HEADER = MemoryLayout.structLayout(
            JAVA_LONG.withName("tail"), MemoryLayout.paddingLayout(120),
            JAVA_LONG.withName("cleaned"), MemoryLayout.paddingLayout(120),
            JAVA_LONG.withName("head"), JAVA_LONG.withName("releasing"), MemoryLayout.paddingLayout(112),
            JAVA_LONG.withName("dataSignal"), MemoryLayout.paddingLayout(120),
            JAVA_LONG.withName("spaceSignal"), MemoryLayout.paddingLayout(120),
            JAVA_LONG.withName("producersLeft"), JAVA_LONG.withName("producersJoined"),
            JAVA_LONG.withName("consumer"), JAVA_LONG.withName("spscProducer"),
            MemoryLayout.sequenceLayout(8, JAVA_LONG).withName("spscTakeovers"), JAVA_LONG.withName("producersDied"),
            MemoryLayout.paddingLayout(24),
            JAVA_LONG.withName("skippedRecords"), JAVA_LONG.withName("skippedBytes"), JAVA_LONG.withName("cleaner"),
            MemoryLayout.paddingLayout(104),
            JAVA_INT.withName("capacity"), JAVA_INT.withName("maxMessageLength"), JAVA_INT.withName("kind"),
            MemoryLayout.paddingLayout(116),
            MemoryLayout.sequenceLayout(RegionDescriptor.MAX_PARTICIPANTS, MemoryLayout.structLayout(
                    JAVA_LONG.withName("producer"), JAVA_LONG.withName("since"), JAVA_LONG.withName("announce"),
                    JAVA_LONG.withName("announceEnd"), JAVA_LONG.withName("orphan"), JAVA_LONG.withName("orphanEnd"),
                    MemoryLayout.paddingLayout(80))).withName("producerTable"));

    static final long TAIL_OFFSET = RegionDescriptor.offset(HEADER, "tail");
    static final long CLEANED_OFFSET = RegionDescriptor.offset(HEADER, "cleaned");
    static final long CLEANER_OFFSET = RegionDescriptor.offset(HEADER, "cleaner");
    static final long HEAD_OFFSET = RegionDescriptor.offset(HEADER, "head");
    static final long RELEASING_OFFSET = RegionDescriptor.offset(HEADER, "releasing");
    static final long DATA_SIGNAL_OFFSET = RegionDescriptor.offset(HEADER, "dataSignal");
    static final long SPACE_SIGNAL_OFFSET = RegionDescriptor.offset(HEADER, "spaceSignal");
    static final long PRODUCERS_LEFT_OFFSET = RegionDescriptor.offset(HEADER, "producersLeft");
    static final long PRODUCERS_JOINED_OFFSET = RegionDescriptor.offset(HEADER, "producersJoined");
    static final long PRODUCERS_DIED_OFFSET = RegionDescriptor.offset(HEADER, "producersDied");
    static final long CONSUMER_OFFSET = RegionDescriptor.offset(HEADER, "consumer");
    static final long SPSC_PRODUCER_OFFSET = RegionDescriptor.offset(HEADER, "spscProducer");
    static final long PRODUCER_TABLE_OFFSET = RegionDescriptor.offset(HEADER, "producerTable");
    static final long PRODUCER_ENTRY_LENGTH = 128;
    static final long SPSC_TAKEOVERS_OFFSET = RegionDescriptor.offset(HEADER, "spscTakeovers");
    /** How many takeovers from dead SPSC producers the consumer may have still to pass (see SpscProducer). */
    static final int SPSC_TAKEOVERS = 8;
    static final long SKIPPED_RECORDS_OFFSET = RegionDescriptor.offset(HEADER, "skippedRecords");
    static final long SKIPPED_BYTES_OFFSET = RegionDescriptor.offset(HEADER, "skippedBytes");
    static final long CAPACITY_OFFSET = RegionDescriptor.offset(HEADER, "capacity");
    static final long MAX_MESSAGE_LENGTH_OFFSET = RegionDescriptor.offset(HEADER, "maxMessageLength");
    static final long KIND_OFFSET = RegionDescriptor.offset(HEADER, "kind");
    static final long HEADER_LENGTH = HEADER.byteSize();

    /** Smallest and largest data capacities. */
    static final int MIN_CAPACITY = 1024;
    static final int MAX_CAPACITY = 1 << 30;

    private RingDescriptor() {
    }

    /** Largest payload a ring of {@code capacity} accepts: an eighth of it, less the record header. */
    static int maxMessageLength(int capacity) {
        return capacity / 8 - RecordDescriptor.HEADER_LENGTH;
    }

    static long length(int capacity) {
        return HEADER_LENGTH + capacity;
    }
}
