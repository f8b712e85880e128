package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static io.millrace.shm.RingDescriptor.CLEANED_OFFSET;
import static io.millrace.shm.RingDescriptor.CLEANER_OFFSET;
import static io.millrace.shm.RingDescriptor.CONSUMER_OFFSET;
import static io.millrace.shm.RingDescriptor.HEAD_OFFSET;
import static io.millrace.shm.RingDescriptor.PRODUCERS_DIED_OFFSET;
import static io.millrace.shm.RingDescriptor.PRODUCERS_JOINED_OFFSET;
import static io.millrace.shm.RingDescriptor.PRODUCERS_LEFT_OFFSET;
import static io.millrace.shm.RingDescriptor.RELEASING_OFFSET;
import static io.millrace.shm.RingDescriptor.SKIPPED_BYTES_OFFSET;
import static io.millrace.shm.RingDescriptor.SKIPPED_RECORDS_OFFSET;
import static io.millrace.shm.RingDescriptor.SPSC_PRODUCER_OFFSET;
import static io.millrace.shm.RingDescriptor.SPSC_TAKEOVERS_OFFSET;
import static io.millrace.shm.RingDescriptor.TAIL_OFFSET;

/**
 * One ring's shared words, seen from this process: the header block that {@link RingDescriptor} draws and the record
 * headers in the data buffer, each behind a method whose name says its memory ordering. It holds no state of its own
 * and is read-only after construction, so the producer and consumer sides of a ring share it without sharing a
 * written cache line. Tests use it to forge the states a crash leaves.
 */
final class RingHeader {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    final SharedRegion region;
    final String name;
    final boolean spsc;
    /** The whole region: header words are at {@code base + *_OFFSET}. */
    private final MemorySegment segment;
    private final long base;
    /** The data buffer: {@code capacity} bytes of records. */
    final MemorySegment buffer;
    final int capacity;
    final long mask;
    final int maxMessageLength;
    final Signal dataSignal;
    final Signal spaceSignal;
    /** MPSC: the producers by participant slot, with their claim windows (see {@link ProducerTable}). */
    final ProducerTable producers;

    RingHeader(SharedRegion region, String name, boolean spsc, MemorySegment segment, long base, int capacity) {
        this.region = region;
        this.name = name;
        this.spsc = spsc;
        this.segment = segment;
        this.base = base;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.maxMessageLength = RingDescriptor.maxMessageLength(capacity);
        this.buffer = segment.asSlice(base + RingDescriptor.HEADER_LENGTH, capacity);
        this.dataSignal = new Signal(segment, base + RingDescriptor.DATA_SIGNAL_OFFSET, region.slot());
        this.spaceSignal = new Signal(segment, base + RingDescriptor.SPACE_SIGNAL_OFFSET, region.slot());
        this.producers = new ProducerTable(segment, base, region.participants());
    }

    // ---------------------------------------------------------------- record headers (index: offset in the buffer)

    long recordAcquire(long index) {
        return (long) LONG.getAcquire(buffer, index);
    }

    long recordPlain(long index) {
        return (long) LONG.get(buffer, index);
    }

    void putRecordRelease(long index, long header) {
        LONG.setRelease(buffer, index, header);
    }

    void putRecordPlain(long index, long header) {
        LONG.set(buffer, index, header);
    }

    boolean casRecord(long index, long expected, long header) {
        return LONG.compareAndSet(buffer, index, expected, header);
    }

    // ---------------------------------------------------------------- positions

    long tailAcquire() {
        return (long) LONG.getAcquire(segment, base + TAIL_OFFSET);
    }

    void putTailRelease(long value) {
        LONG.setRelease(segment, base + TAIL_OFFSET, value);
    }

    boolean casTail(long expected, long value) {
        return LONG.compareAndSet(segment, base + TAIL_OFFSET, expected, value);
    }

    long headAcquire() {
        return (long) LONG.getAcquire(segment, base + HEAD_OFFSET);
    }

    void putHeadRelease(long value) {
        LONG.setRelease(segment, base + HEAD_OFFSET, value);
    }

    /** MPSC: the position up to which the space ahead of {@code tail} is zeroed (see {@link MpscProducer}). */
    long cleanedAcquire() {
        return (long) LONG.getAcquire(segment, base + CLEANED_OFFSET);
    }

    /**
     * Publishes zeroing done from {@code expected} up to {@code value}: every zero store before it is visible first.
     * {@return false when {@code cleaned} is no longer {@code expected}} (a holder taken for dead, whose process
     * closed the region under it: it must not move {@code cleaned} back)
     */
    boolean casCleaned(long expected, long value) {
        return LONG.compareAndSet(segment, base + CLEANED_OFFSET, expected, value);
    }

    /** MPSC: the participant reference of the producer zeroing ahead of the claims, 0 when none is. */
    long cleaner() {
        return (long) LONG.getVolatile(segment, base + CLEANER_OFFSET);
    }

    boolean casCleaner(long expected, long value) {
        return LONG.compareAndSet(segment, base + CLEANER_OFFSET, expected, value);
    }

    long releasingAcquire() {
        return (long) LONG.getAcquire(segment, base + RELEASING_OFFSET);
    }

    /** Stores where the release under way ends, ahead of the store of {@code head} that makes it. */
    void putReleasing(long value) {
        LONG.set(segment, base + RELEASING_OFFSET, value);
        VarHandle.storeStoreFence();
    }

    void addSkipped(int alignedLength) {
        long ignored = (long) LONG.getAndAdd(segment, base + SKIPPED_RECORDS_OFFSET, 1L);
        ignored = (long) LONG.getAndAdd(segment, base + SKIPPED_BYTES_OFFSET, (long) alignedLength);
    }

    // ---------------------------------------------------------------- roles (participant references, 0 for none)

    /** The consumer's participant reference (incarnation, slot); 0 when none has come, -1 once it detached. */
    long consumerRef() {
        return (long) LONG.getVolatile(segment, base + CONSUMER_OFFSET);
    }

    boolean casConsumerRef(long expected, long value) {
        return LONG.compareAndSet(segment, base + CONSUMER_OFFSET, expected, value);
    }

    /** The SPSC producer word: a participant reference, with {@link SpscProducer#DEATH_COUNTED} once found dead. */
    long spscProducer() {
        return (long) LONG.getVolatile(segment, base + SPSC_PRODUCER_OFFSET);
    }

    boolean casSpscProducer(long expected, long value) {
        return LONG.compareAndSet(segment, base + SPSC_PRODUCER_OFFSET, expected, value);
    }

    long producersJoined() {
        return (long) LONG.getVolatile(segment, base + PRODUCERS_JOINED_OFFSET);
    }

    void addProducerJoined() {
        long ignored = (long) LONG.getAndAdd(segment, base + PRODUCERS_JOINED_OFFSET, 1L);
    }

    /** Producers that left on purpose, ever. */
    long producersLeft() {
        return (long) LONG.getVolatile(segment, base + PRODUCERS_LEFT_OFFSET);
    }

    void addProducerLeft() {
        long ignored = (long) LONG.getAndAdd(segment, base + PRODUCERS_LEFT_OFFSET, 1L);
    }

    /** Registrations of producers found dead, ever. */
    long producersDied() {
        return (long) LONG.getVolatile(segment, base + PRODUCERS_DIED_OFFSET);
    }

    /** A registered producer found dead at {@code ref}: counted, and its waiter bit cleared if its slot is free. */
    void countDead(long ref) {
        long ignored = (long) LONG.getAndAdd(segment, base + PRODUCERS_DIED_OFFSET, 1L);
        int slot = Participants.slotOf(ref);
        if (!region.participants().isOccupiedByLive(slot)) {
            spaceSignal.clearWaiter(slot);
        }
    }

    /** Entry {@code i} of the SPSC takeover table (see {@link SpscProducer}): a tail position, 0 when unused. */
    long spscTakeover(int i) {
        return (long) LONG.getAcquire(segment, base + SPSC_TAKEOVERS_OFFSET + (long) i * Long.BYTES);
    }

    boolean casSpscTakeover(int i, long expected, long value) {
        return LONG.compareAndSet(segment, base + SPSC_TAKEOVERS_OFFSET + (long) i * Long.BYTES, expected, value);
    }

    /** The first SPSC takeover point above {@code position}, or {@link Long#MAX_VALUE} when there is none. */
    long takeoverAbove(long position) {
        long end = Long.MAX_VALUE;
        for (int i = 0; i < RingDescriptor.SPSC_TAKEOVERS; i++) {
            long point = spscTakeover(i);
            if (point - position > 0 && point - end < 0) {
                end = point;
            }
        }
        return end;
    }

    // ---------------------------------------------------------------- MPSC claim windows (see ProducerTable)

    /** Takes the claim window at {@code window} (an offset in the region) if it is idle. */
    boolean casWindowIdle(long window) {
        return LONG.compareAndSet(segment, window, 0L, ProducerTable.BUSY);
    }

    /** Announces a claim from {@code position} to {@code end}: the end first, then the start with release. */
    void announceClaim(long window, long windowEnd, long position, long end) {
        LONG.set(segment, windowEnd, end);
        LONG.setRelease(segment, window, position + 1);
    }

    boolean windowIdle(long window) {
        return (long) LONG.getVolatile(segment, window) == 0;
    }

    /** Withdraws the announcement: the claim's header is stored, or there was no claim. */
    void releaseWindow(long window) {
        LONG.setRelease(segment, window, 0L);
    }

    RingStats stats() {
        return RingStats.read(name, spsc ? RegionSpec.Kind.SPSC_RING : RegionSpec.Kind.MPSC_RING, segment, base,
                region.participants());
    }

    // ---------------------------------------------------------------- errors

    /** FFM reports use of an unmapped segment as IllegalStateException: say which region was closed. */
    RuntimeException translate(IllegalStateException e) {
        if (region.isClosed()) {
            return new ShmException("region '" + region.name() + "' is closed; ring '" + name
                    + "' can no longer be used", e);
        }
        return e;
    }

    @Override
    public String toString() {
        return region.name() + "/" + name;
    }
}
