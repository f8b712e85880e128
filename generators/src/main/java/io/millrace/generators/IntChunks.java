package io.millrace.generators;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.function.IntUnaryOperator;

/**
 * The chunks of {@link Parallel#mapInts}, in {@link Payloads}' packed form of an int list (tag, count, big-endian
 * values) from end to end: a slice of the caller's {@code int[]} is copied into a message's bytes, the worker applies
 * the function from the input's bytes to the result's, and the caller copies the results into its {@code int[]}; no
 * value is boxed on either side (a boxed chunk costs an {@code Integer} per input and per result, and their reads).
 */
final class IntChunks {
    private static final int HEADER = PackedList.HEADER;
    private static final VarHandle INT = PackedList.INT;

    private IntChunks() {
    }

    /** The packed bytes of {@code values[from..to)}. */
    static byte[] pack(int[] values, int from, int to) {
        byte[] bytes = PackedList.newPacked(PackedList.INTS, to - from);
        MemorySegment.copy(values, from, MemorySegment.ofArray(bytes), PackedList.PACKED_INT, HEADER, to - from);
        return bytes;
    }

    /** {@code fn} over a packed chunk of ints, into a packed list of its results (run in the worker). */
    static PackedList apply(IntUnaryOperator fn, PackedList in) {
        int size = in.size();
        byte[] out = PackedList.newPacked(PackedList.INTS, size);
        for (int i = 0, at = HEADER; i < size; i++, at += Integer.BYTES) {
            INT.set(out, at, fn.applyAsInt(in.intAt(i)));
        }
        return new PackedList(out);
    }

    /**
     * The messages' results end to end in one array.
     *
     * @throws IllegalStateException if a message's value is not a packed int list, or the counts do not add up
     */
    static int[] concat(List<?> parts, int total) {
        int[] out = new int[total];
        int at = 0;
        for (Object part : parts) {
            if (!(part instanceof PackedList packed) || packed.tag() != PackedList.INTS
                    || packed.size() > total - at) {
                throw new IllegalStateException("a worker's map result is not the packed ints of its chunk: "
                        + (part == null ? "null" : part.getClass().getName()) + " at index=" + at + " of total="
                        + total);
            }
            packed.copyInts(out, at);
            at += packed.size();
        }
        if (at != total) {
            throw new IllegalStateException("a map's results count=" + at + " differs from its inputs count=" + total);
        }
        return out;
    }
}
