package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.millrace.shm.RegionDescriptor.ENTRY_CAPACITY_OFFSET;
import static io.millrace.shm.RegionDescriptor.ENTRY_KIND_OFFSET;
import static io.millrace.shm.RegionDescriptor.ENTRY_LENGTH_OFFSET;
import static io.millrace.shm.RegionDescriptor.ENTRY_NAME_OFFSET;
import static io.millrace.shm.RegionDescriptor.ENTRY_OFFSET_OFFSET;
import static io.millrace.shm.RegionException.Reason.CORRUPT;

/**
 * Reads a ready region's directory and checks, before anything is read through them, that the header, every
 * directory entry and every ring header hold values its creator could have written. Attach and inspect read the
 * directory only through {@link #readDirectory}, so a damaged file is refused with a {@link RegionException} of
 * reason {@code CORRUPT} naming the field and its value, never with an {@code IndexOutOfBoundsException} later.
 *
 * <p>The rules (offsets and lengths from {@link RegionDescriptor} and {@link RingDescriptor}):
 * <ol>
 *   <li>Header: {@code participantCapacity} in 1..{@value RegionDescriptor#MAX_PARTICIPANTS};
 *       {@code directoryCount} not negative; the header, participant table and directory fit in
 *       {@code regionSize}, and {@code regionSize} fits in the file.</li>
 *   <li>Entry: a valid structure name, unique; a known kind; a capacity the builder accepts for that kind (a power of
 *       two of ring capacities, 1 B to 1 GiB for a block, 0 for an atomic); the length that kind and capacity take;
 *       an offset on a 128-byte boundary, after the directory, with offset + length inside {@code regionSize}.</li>
 *   <li>Layout: no two structures overlap.</li>
 *   <li>Ring header: the kind and capacity of its entry; the maximum message length of that capacity; consumer and
 *       producer references naming slots of the participant table; {@code 0 <= head <= tail <= head + capacity}, both multiples of
 *       the record alignment; {@code head <= releasing <= tail}; skipped counts not negative. Positions are read
 *       head, tail, head, releasing, tail, so that a ring in use by live processes always passes. MPSC: the
 *       {@code cleaner} names a slot or is 0; {@code tail <= cleaned <= head + capacity} (read in that order).</li>
 * </ol>
 */
final class RegionValidator {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();

    private RegionValidator() {
    }

    /**
     * Checks the header fields that say where everything is (rule 1), for a file of {@code fileSize} bytes; returns
     * {@code regionSize}. Called before the file is mapped, with the values read from it.
     */
    static long checkHeader(String region, int participantCapacity, int directoryCount, long regionSize,
                            long fileSize) {
        if (participantCapacity < 1 || participantCapacity > RegionDescriptor.MAX_PARTICIPANTS) {
            throw corrupt(region, "participantCapacity=" + participantCapacity + " is not in 1.."
                    + RegionDescriptor.MAX_PARTICIPANTS);
        }
        if (directoryCount < 0) {
            throw corrupt(region, "directoryCount=" + directoryCount + " is negative");
        }
        long directoryEnd = RegionDescriptor.entryOffset(participantCapacity, directoryCount);
        if (regionSize < directoryEnd) {
            throw corrupt(region, "regionSize=" + regionSize + " is smaller than its header with participantCapacity="
                    + participantCapacity + " and directoryCount=" + directoryCount + " (" + directoryEnd + " bytes)");
        }
        if (fileSize < regionSize) {
            throw new RegionException(RegionException.Reason.TRUNCATED, "region '" + region + "' is truncated: "
                    + "the file has " + fileSize + " bytes, its header records regionSize=" + regionSize);
        }
        return regionSize;
    }

    /** Reads and checks the directory of the ready region mapped in {@code segment}; entries in creation order. */
    static Map<String, SharedRegion.Entry> readDirectory(String region, MemorySegment segment) {
        try {
            int participantCapacity = (int) INT.getAcquire(segment, RegionDescriptor.PARTICIPANT_CAPACITY_OFFSET);
            int count = (int) INT.getAcquire(segment, RegionDescriptor.DIRECTORY_COUNT_OFFSET);
            long regionSize = (long) LONG.getAcquire(segment, RegionDescriptor.REGION_SIZE_OFFSET);
            checkHeader(region, participantCapacity, count, regionSize, segment.byteSize());
            long structures = RegionDescriptor.structuresOffset(participantCapacity, count);
            Map<String, SharedRegion.Entry> result = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                SharedRegion.Entry entry = entry(region, segment, i, participantCapacity, structures, regionSize);
                if (result.putIfAbsent(entry.name(), entry) != null) {
                    throw corrupt(region, "directory entry " + i + ": name='" + entry.name() + "' appears twice");
                }
            }
            checkOverlaps(region, result.values());
            for (SharedRegion.Entry entry : result.values()) {
                if (entry.kind().isRing()) {
                    checkRing(region, segment, entry, participantCapacity);
                }
            }
            return result;
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            // every read above is inside regionSize once checkHeader passed; this is the last line of defence
            throw corrupt(region, "its directory cannot be read: " + e);
        }
    }

    private static SharedRegion.Entry entry(String region, MemorySegment segment, int index, int participantCapacity,
                                            long structures, long regionSize) {
        long at = RegionDescriptor.entryOffset(participantCapacity, index);
        String where = "directory entry " + index;
        int nameLength = segment.get(ValueLayout.JAVA_BYTE, at + ENTRY_NAME_OFFSET) & 0xFF;
        if (nameLength < 1 || nameLength > Names.MAX_STRUCTURE_NAME) {
            throw corrupt(region, where + ": nameLength=" + nameLength + " is not in 1.." + Names.MAX_STRUCTURE_NAME);
        }
        byte[] bytes = new byte[nameLength];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, at + ENTRY_NAME_OFFSET + 1, bytes, 0, nameLength);
        String name = new String(bytes, StandardCharsets.US_ASCII);
        try {
            Names.structure(name);
        } catch (RegionException e) {
            throw corrupt(region, where + ": " + e.getMessage());
        }
        where += " '" + name + "'";
        int code = (int) INT.get(segment, at + ENTRY_KIND_OFFSET);
        RegionSpec.Kind kind = RegionSpec.Kind.of(code);
        if (kind == null) {
            throw corrupt(region, where + ": kind=" + code + " is not a known kind of structure");
        }
        int capacity = (int) INT.get(segment, at + ENTRY_CAPACITY_OFFSET);
        String capacityRule = switch (kind) {
            case SPSC_RING, MPSC_RING -> capacity < RingDescriptor.MIN_CAPACITY || capacity > RingDescriptor.MAX_CAPACITY
                    || Integer.bitCount(capacity) != 1 ? "a power of two from " + RingDescriptor.MIN_CAPACITY + " to "
                    + RingDescriptor.MAX_CAPACITY : null;
            case BLOCK -> capacity < 1 || capacity > RingDescriptor.MAX_CAPACITY
                    ? "from 1 to " + RingDescriptor.MAX_CAPACITY : null;
            case ATOMIC_LONG, ATOMIC_INT -> capacity != 0 ? "0" : null;
        };
        if (capacityRule != null) {
            throw corrupt(region, where + ": capacity=" + capacity + " of a " + kind + " must be " + capacityRule);
        }
        long length = (long) LONG.get(segment, at + ENTRY_LENGTH_OFFSET);
        long expectedLength = new RegionSpec.Structure(name, kind, capacity).length();
        if (length != expectedLength) {
            throw corrupt(region, where + ": length=" + length + ", a " + kind + " of capacity=" + capacity
                    + " takes " + expectedLength);
        }
        long offset = (long) LONG.get(segment, at + ENTRY_OFFSET_OFFSET);
        if (offset < structures || offset % RegionDescriptor.ALIGNMENT != 0 || offset > regionSize - length) {
            throw corrupt(region, where + ": offset=" + offset + " (length=" + length + ") must be a multiple of "
                    + RegionDescriptor.ALIGNMENT + " from " + structures + " (the end of the directory) to "
                    + (regionSize - length) + " (regionSize=" + regionSize + " less the length)");
        }
        return new SharedRegion.Entry(name, kind, capacity, offset, length);
    }

    private static void checkOverlaps(String region, Iterable<SharedRegion.Entry> entries) {
        List<SharedRegion.Entry> byOffset = new ArrayList<>();
        entries.forEach(byOffset::add);
        byOffset.sort(Comparator.comparingLong(SharedRegion.Entry::offset));
        for (int i = 1; i < byOffset.size(); i++) {
            SharedRegion.Entry before = byOffset.get(i - 1);
            SharedRegion.Entry entry = byOffset.get(i);
            if (entry.offset() < before.offset() + before.length()) {
                throw corrupt(region, "structure '" + entry.name() + "' at offset=" + entry.offset()
                        + " overlaps '" + before.name() + "' (offset=" + before.offset() + ", length="
                        + before.length() + ")");
            }
        }
    }

    private static void checkRing(String region, MemorySegment segment, SharedRegion.Entry entry,
                                  int participantCapacity) {
        long base = entry.offset();
        String where = "ring '" + entry.name() + "' header: ";
        int kind = (int) INT.getAcquire(segment, base + RingDescriptor.KIND_OFFSET);
        if (kind != entry.kind().code) {
            throw corrupt(region, where + "kind=" + kind + ", its directory entry says " + entry.kind().code);
        }
        int capacity = (int) INT.getAcquire(segment, base + RingDescriptor.CAPACITY_OFFSET);
        if (capacity != entry.capacity()) {
            throw corrupt(region, where + "capacity=" + capacity + ", its directory entry says " + entry.capacity());
        }
        int maxMessageLength = (int) INT.getAcquire(segment, base + RingDescriptor.MAX_MESSAGE_LENGTH_OFFSET);
        if (maxMessageLength != RingDescriptor.maxMessageLength(capacity)) {
            throw corrupt(region, where + "maxMessageLength=" + maxMessageLength + ", a ring of capacity="
                    + capacity + " has " + RingDescriptor.maxMessageLength(capacity));
        }
        long consumer = (long) LONG.getVolatile(segment, base + RingDescriptor.CONSUMER_OFFSET);
        if (consumer != 0 && consumer != -1 && !inTable(consumer, participantCapacity)) {
            throw corrupt(region, where + "consumer=0x" + Long.toHexString(consumer) + " names no slot of its "
                    + participantCapacity + " participant slots (0 none, -1 detached)");
        }
        if (entry.kind() == RegionSpec.Kind.SPSC_RING) {
            long producer = (long) LONG.getVolatile(segment, base + RingDescriptor.SPSC_PRODUCER_OFFSET)
                    & ~SpscProducer.DEATH_COUNTED;
            if (producer != 0 && !inTable(producer, participantCapacity)) {
                throw corrupt(region, where + "spscProducer=0x" + Long.toHexString(producer) + " names no slot of its "
                        + participantCapacity + " participant slots");
            }
        } else {
            for (int slot = 0; slot < RegionDescriptor.MAX_PARTICIPANTS; slot++) {
                long producer = (long) LONG.getVolatile(segment, base + RingDescriptor.PRODUCER_TABLE_OFFSET
                        + slot * RingDescriptor.PRODUCER_ENTRY_LENGTH);
                if (producer != 0 && (Participants.slotOf(producer) != slot || slot >= participantCapacity)) {
                    throw corrupt(region, where + "producer table entry " + slot + ": producer=0x"
                            + Long.toHexString(producer) + " is not a reference to slot " + slot + " of its "
                            + participantCapacity + " participant slots");
                }
            }
            long cleaner = (long) LONG.getVolatile(segment, base + RingDescriptor.CLEANER_OFFSET);
            if (cleaner != 0 && !inTable(cleaner, participantCapacity)) {
                throw corrupt(region, where + "cleaner=0x" + Long.toHexString(cleaner) + " names no slot of its "
                        + participantCapacity + " participant slots (0 none)");
            }
        }
        checkPositions(region, segment, base, capacity, where);
        if (entry.kind() == RegionSpec.Kind.MPSC_RING) {
            checkCleaned(region, segment, base, capacity, where);
        }
        long skippedRecords = (long) LONG.getAcquire(segment, base + RingDescriptor.SKIPPED_RECORDS_OFFSET);
        long skippedBytes = (long) LONG.getAcquire(segment, base + RingDescriptor.SKIPPED_BYTES_OFFSET);
        if (skippedRecords < 0 || skippedBytes < 0) {
            throw corrupt(region, where + "skippedRecords=" + skippedRecords + ", skippedBytes=" + skippedBytes
                    + ": counts cannot be negative");
        }
    }

    /** True when participant reference {@code ref} names a slot of a table of {@code capacity}. */
    private static boolean inTable(long ref, int capacity) {
        int slot = Participants.slotOf(ref);
        return slot >= 0 && slot < capacity;
    }

    /**
     * Rule 4's positions. Each only grows, and the order of the reads makes each comparison hold for a live ring:
     * {@code head <= tail} with the head read first; {@code tail - head <= capacity} with the head read after the
     * tail; {@code releasing >= head} with the head read first; {@code releasing <= tail} with the tail read last.
     */
    private static void checkPositions(String region, MemorySegment segment, long base, int capacity, String where) {
        long head = (long) LONG.getAcquire(segment, base + RingDescriptor.HEAD_OFFSET);
        long tail = (long) LONG.getAcquire(segment, base + RingDescriptor.TAIL_OFFSET);
        long headAfter = (long) LONG.getAcquire(segment, base + RingDescriptor.HEAD_OFFSET);
        long releasing = (long) LONG.getAcquire(segment, base + RingDescriptor.RELEASING_OFFSET);
        long tailAfter = (long) LONG.getAcquire(segment, base + RingDescriptor.TAIL_OFFSET);
        long misaligned = (head | tail) & (RecordDescriptor.ALIGNMENT - 1);
        if (head < 0 || misaligned != 0) {
            throw corrupt(region, where + "head=" + head + ", tail=" + tail + ": positions are multiples of "
                    + RecordDescriptor.ALIGNMENT + " from 0");
        }
        if (tail < head) {
            throw corrupt(region, where + "head=" + head + " is ahead of tail=" + tail);
        }
        if (tail - headAfter > capacity) {
            throw corrupt(region, where + "tail=" + tail + " is more than capacity=" + capacity + " ahead of head="
                    + headAfter);
        }
        if (releasing < headAfter || releasing > tailAfter) {
            throw corrupt(region, where + "releasing=" + releasing + " is not between head=" + headAfter
                    + " and tail=" + tailAfter);
        }
    }

    /**
     * MPSC: {@code tail <= cleaned <= head + capacity}, a multiple of the record alignment (see {@link MpscProducer});
     * read tail, cleaned, head, so that a ring in use by live processes always passes.
     */
    private static void checkCleaned(String region, MemorySegment segment, long base, int capacity, String where) {
        long tail = (long) LONG.getAcquire(segment, base + RingDescriptor.TAIL_OFFSET);
        long cleaned = (long) LONG.getAcquire(segment, base + RingDescriptor.CLEANED_OFFSET);
        long head = (long) LONG.getAcquire(segment, base + RingDescriptor.HEAD_OFFSET);
        if (cleaned < tail || cleaned - head > capacity || (cleaned & (RecordDescriptor.ALIGNMENT - 1)) != 0) {
            throw corrupt(region, where + "cleaned=" + cleaned + " must be a multiple of " + RecordDescriptor.ALIGNMENT
                    + " between tail=" + tail + " and head=" + head + " + capacity=" + capacity);
        }
    }

    private static RegionException corrupt(String region, String problem) {
        return new RegionException(CORRUPT, "region '" + region + "' is corrupt: " + problem);
    }
}
