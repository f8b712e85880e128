package io.millrace.state;

/**
 * The layout of a {@link SharedMap}'s block: a header, then {@code segments} segments of equal size.
 *
 * <pre>
 *   header (128 B): magic (8, stored last) | version (4) | segments (4) | slots (4, per segment) | buckets (4, per
 *                   segment, a power of two) | slotBytes (4, payload) | entries (8) | averageKey (4) | averageValue (4)
 *   segment:  0 lock | 8 version | 16 count | 24 freeHead | 32 logLength      (control, 64 B)
 *            64 undo log: 8 x (offset 8, old value 8)                          (128 B; 64 B free after it)
 *           256 buckets: buckets x 8, open addressing (linear probing): tag (high 32: the key's int hash) | slot
 *               reference (low 32); 0: empty, {@link #TOMBSTONE}: removed
 *               slots: slots x slotStride: next (8, free list) | keyLength (4) | valueLength (4) | payload (slotBytes)
 * </pre>
 * A lookup compares the tags of the words it probes and visits only a slot whose tag matches: its misses are the
 * bucket's line, then the slot's. There are at least 1.5 times as many buckets as slots (load at most 2/3).
 * A slot's stride is a multiple of 64 and the slots start on a 64-byte boundary (blocks are 128-aligned, the
 * buckets a multiple of 64 bytes), so a slot never shares a cache line with another; its payload fills the stride.
 * A slot reference is its index + 1 (0: none). Free slots form a list through {@code next} from {@code freeHead}.
 * Every word the undo log names is one of these longs: a bucket, a slot's {@code next}, {@code freeHead},
 * {@code count}; its offset is from the start of the block.
 */
final class MapLayout {
    static final long MAGIC = 0x50414d4445524853L; // "SHREDMAP" little-endian
    /** 2: a transaction descriptor block beside the map's; 3: slots 64-byte aligned; 4: tagged open addressing. */
    static final int VERSION = 4;
    static final long HEADER_BYTES = 128;
    static final long MAGIC_OFFSET = 0;
    static final long VERSION_OFFSET = 8;
    static final long SEGMENTS_OFFSET = 12;
    static final long SLOTS_OFFSET = 16;
    static final long BUCKETS_OFFSET = 20;
    static final long SLOT_BYTES_OFFSET = 24;
    static final long ENTRIES_OFFSET = 32;
    static final long AVERAGE_KEY_OFFSET = 40;
    static final long AVERAGE_VALUE_OFFSET = 44;

    static final long LOCK = 0;
    static final long SEQ = 8;
    static final long COUNT = 16;
    static final long FREE_HEAD = 24;
    static final long LOG_LENGTH = 32;
    /** On the line after the control words (their 128-byte pair): an insert's or update's 3 entries fit there. */
    static final long LOG = 64;
    static final int LOG_CAPACITY = 8;
    static final long BUCKETS = 256;

    static final long SLOT_NEXT = 0;
    static final long SLOT_KEY_LENGTH = 8;
    static final long SLOT_VALUE_LENGTH = 12;
    static final long SLOT_PAYLOAD = 16;
    /** A bucket word whose entry was removed: probes go on past it (reference 0, a tag no empty word has). */
    static final long TOMBSTONE = 0xFFFF_FFFF_0000_0000L;
    static final long MAX_BLOCK = 1 << 30;

    final int segments;
    final int slots;
    final int buckets;
    final int slotBytes;
    final long slotStride;
    final long slotsOffset;
    final long segmentBytes;

    MapLayout(int segments, int slots, int buckets, int slotBytes) {
        this.segments = segments;
        this.slots = slots;
        this.buckets = buckets;
        this.slotBytes = slotBytes;
        this.slotStride = StructLayout.align(SLOT_PAYLOAD + StructLayout.align(slotBytes, 8), 64);
        this.slotsOffset = BUCKETS + 8L * buckets;
        this.segmentBytes = StructLayout.align(slotsOffset + slots * slotStride, 128);
    }

    /**
     * The geometry for a capacity: segments of about 64 entries, slack for uneven hashing, buckets the power of two
     * at least 1.5 times the slots, and slots of the fewest cache lines that hold 1.5 times the average entry (the
     * payload fills the last line).
     */
    static MapLayout forCapacity(SharedMap.Capacity capacity) {
        long perSegmentTarget = 64;
        int segments = (int) Math.min(1024, Math.max(1, Long.highestOneBit(capacity.entries() / perSegmentTarget)));
        long perSegment = (capacity.entries() + segments - 1) / segments;
        long slots = perSegment + perSegment / 4 + 4;
        int buckets = (int) Math.max(8, Long.highestOneBit((3 * slots + 1) / 2 * 2 - 1));
        long average = capacity.averageKeyBytes() + (long) capacity.averageValueBytes();
        long slotBytes = StructLayout.align(SLOT_PAYLOAD + (3 * average + 1) / 2, 64) - SLOT_PAYLOAD;
        if (slots > Integer.MAX_VALUE || slotBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("capacity " + capacity + " is too large");
        }
        return new MapLayout(segments, (int) slots, buckets, (int) slotBytes);
    }

    long blockBytes() {
        return HEADER_BYTES + segments * segmentBytes;
    }

    long segmentOffset(int segment) {
        return HEADER_BYTES + segment * segmentBytes;
    }

    /** Offset in the block of slot {@code ref} (index + 1) of the segment at {@code segmentOffset}. */
    long slotOffset(long segmentOffset, long ref) {
        return segmentOffset + slotsOffset + (ref - 1) * slotStride;
    }

    long bucketOffset(long segmentOffset, int bucket) {
        return segmentOffset + BUCKETS + 8L * bucket;
    }

    /** The bucket word after the one at {@code bucketOffset} in probe order (the first after the last). */
    long nextBucket(long segmentOffset, long bucketOffset) {
        long next = bucketOffset + 8;
        return next == segmentOffset + slotsOffset ? segmentOffset + BUCKETS : next;
    }

    /** The bucket word before the one at {@code bucketOffset} in probe order. */
    long previousBucket(long segmentOffset, long bucketOffset) {
        return bucketOffset == segmentOffset + BUCKETS ? segmentOffset + slotsOffset - 8 : bucketOffset - 8;
    }

    /** A bucket word: {@code tag} (the key's int hash) beside slot reference {@code ref}. */
    static long bucketWord(int tag, long ref) {
        return (long) tag << 32 | ref;
    }
}
