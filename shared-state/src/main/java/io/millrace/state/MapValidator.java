package io.millrace.state;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Reads a map's header and control words at open, and refuses any value no map can have, naming the field: the
 * geometry must be a power-of-two segment and bucket count whose segments fill the block exactly, each segment's
 * {@code count}, {@code freeHead} and {@code logLength} in range. Bucket words are checked lazily (every probe
 * bounds its references and steps); {@link #checkChains} walks them all, for tests.
 */
final class MapValidator {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    private MapValidator() {
    }

    static MapLayout validate(String name, MemorySegment block, long deadline, Duration timeout) {
        BlockHeader.await("map '" + name + "'", block, MapLayout.MAGIC, MapLayout.VERSION_OFFSET, MapLayout.VERSION,
                MapLayout.HEADER_BYTES, deadline, timeout);
        int segments = (int) INT.get(block, MapLayout.SEGMENTS_OFFSET);
        int slots = (int) INT.get(block, MapLayout.SLOTS_OFFSET);
        int buckets = (int) INT.get(block, MapLayout.BUCKETS_OFFSET);
        int slotBytes = (int) INT.get(block, MapLayout.SLOT_BYTES_OFFSET);
        if (segments < 1 || segments > 1024 || Integer.bitCount(segments) != 1) {
            throw corrupt(name, "segments=" + segments);
        }
        if (buckets < 8 || Integer.bitCount(buckets) != 1 || 2L * buckets < 3L * slots) {
            throw corrupt(name, "buckets=" + buckets + " (slots=" + slots + ")");
        }
        if (slots < 2 || slotBytes < 8 || (slotBytes & 7) != 0) {
            throw corrupt(name, "slots=" + slots + " slotBytes=" + slotBytes);
        }
        MapLayout layout = new MapLayout(segments, slots, buckets, slotBytes);
        if (layout.blockBytes() != block.byteSize()) {
            throw corrupt(name, "segments=" + segments + " slots=" + slots + " buckets=" + buckets + " slotBytes="
                    + slotBytes + " need " + layout.blockBytes() + " bytes, the block has " + block.byteSize());
        }
        for (int s = 0; s < segments; s++) {
            long seg = layout.segmentOffset(s);
            long count = (long) LONG.getVolatile(block, seg + MapLayout.COUNT);
            long free = (long) LONG.getVolatile(block, seg + MapLayout.FREE_HEAD);
            long log = (long) LONG.getVolatile(block, seg + MapLayout.LOG_LENGTH);
            if (count < 0 || count > slots) {
                throw corrupt(name, "segment " + s + " count=" + count + " (slots=" + slots + ")");
            }
            if (free < 0 || free > slots) {
                throw corrupt(name, "segment " + s + " freeHead=" + free + " (slots=" + slots + ")");
            }
            if (log < 0 || log > MapLayout.LOG_CAPACITY) {
                throw corrupt(name, "segment " + s + " logLength=" + log);
            }
        }
        return layout;
    }

    /** Every bucket word and the free list walked: each slot in exactly one, tags and counts matching. */
    static List<String> checkChains(MapSegments segments) {
        MapLayout layout = segments.layout;
        List<String> problems = new ArrayList<>();
        for (int s = 0; s < layout.segments; s++) {
            long seg = layout.segmentOffset(s);
            BitSet seen = new BitSet();
            long entries = 0;
            for (int b = 0; b < layout.buckets; b++) {
                long w = segments.word(layout.bucketOffset(seg, b));
                long ref = w & 0xFFFF_FFFFL;
                if (ref == 0) {
                    if (w != 0 && w != MapLayout.TOMBSTONE) {
                        problems.add("segment " + s + ": bucket " + b + " word=0x" + Long.toHexString(w));
                    }
                } else if (ref > layout.slots || seen.get((int) ref)) {
                    problems.add("segment " + s + ": bucket " + b + " slot " + ref + " out of range or named twice");
                } else {
                    seen.set((int) ref);
                    entries++;
                    long slot = layout.slotOffset(seg, ref);
                    int keyLength = (int) INT.get(segments.block, slot + MapLayout.SLOT_KEY_LENGTH);
                    MemorySegment key = segments.block.asSlice(slot + MapLayout.SLOT_PAYLOAD, keyLength);
                    if ((int) MapSegments.hash(key, keyLength) != (int) (w >>> 32)) {
                        problems.add("segment " + s + ": bucket " + b + " tag=" + (int) (w >>> 32)
                                + " is not its key's hash");
                    }
                }
            }
            long free = 0;
            for (long ref = segments.word(seg + MapLayout.FREE_HEAD); ref != 0 && free <= layout.slots; free++) {
                if (ref < 0 || ref > layout.slots || seen.get((int) ref)) {
                    problems.add("segment " + s + ": free slot " + ref + " out of range or also in use");
                    break;
                }
                seen.set((int) ref);
                ref = segments.word(layout.slotOffset(seg, ref) + MapLayout.SLOT_NEXT);
            }
            if (entries != segments.word(seg + MapLayout.COUNT) || entries + free != layout.slots) {
                problems.add("segment " + s + ": entries=" + entries + " count=" + segments.word(seg + MapLayout.COUNT)
                        + " free=" + free + " slots=" + layout.slots);
            }
            if (segments.word(seg + MapLayout.LOG_LENGTH) != 0 || (segments.word(seg + MapLayout.SEQ) & 1) != 0
                    || segments.word(seg + MapLayout.LOCK) != 0) {
                problems.add("segment " + s + ": left locked or mid-write");
            }
        }
        return problems;
    }

    private static SharedStateException corrupt(String name, String field) {
        return BlockHeader.corrupt("map '" + name + "'", field);
    }
}
