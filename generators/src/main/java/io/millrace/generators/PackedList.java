package io.millrace.generators;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A packed list of ints, longs or doubles ({@link Payloads}) read in place: an element is decoded (and boxed) when it
 * is asked for, so a map's chunk of results costs no second array of boxes, and the ones nobody reads cost nothing.
 * Immutable; serialized as an {@code ArrayList} of its elements.
 */
final class PackedList extends AbstractList<Object> implements RandomAccess, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    static final byte INTS = 1;
    static final byte LONGS = 2;
    static final byte DOUBLES = 3;
    /** A big-endian int of a packed list's bytes (its count, an element of {@link #INTS}). */
    static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.BIG_ENDIAN);
    /** An element of {@link #INTS} for bulk copies between an {@code int[]} and the bytes. */
    static final ValueLayout.OfInt PACKED_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** The tag byte and the count before the values in {@link Payloads}' packed form. */
    static final int HEADER = 1 + Integer.BYTES;

    private final transient byte[] bytes;
    private final transient int size;
    private final transient byte tag;

    /**
     * The list of a whole array in {@link Payloads}' packed form (tag, count, values; checked by the caller): the
     * array is the list's bytes from end to end, so {@link #packed} is the array itself.
     */
    PackedList(byte[] packed) {
        this.bytes = packed;
        this.tag = packed[0];
        this.size = (int) INT.get(packed, 1);
    }

    static int width(byte tag) {
        return tag == INTS ? Integer.BYTES : Long.BYTES;
    }

    /** A new array in {@link Payloads}' packed form of {@code count} values of {@code tag}: the header, zeros. */
    static byte[] newPacked(byte tag, int count) {
        byte[] bytes = new byte[HEADER + width(tag) * count];
        bytes[0] = tag;
        INT.set(bytes, 1, count);
        return bytes;
    }

    byte tag() {
        return tag;
    }

    /** The int at {@code index} of a list of {@link #INTS}, not boxed (checked by the caller). */
    int intAt(int index) {
        return (int) INT.get(bytes, HEADER + index * Integer.BYTES);
    }

    /** Copies a list of {@link #INTS} into {@code to} from {@code at} (checked by the caller). */
    void copyInts(int[] to, int at) {
        MemorySegment.copy(MemorySegment.ofArray(bytes), PACKED_INT, HEADER, to, at, size);
    }

    /** Its {@link Payloads} bytes (tag, count, values): the array it reads, not a copy (it is immutable). */
    byte[] packed() {
        return bytes;
    }

    @Override
    public Object get(int index) {
        Objects.checkIndex(index, size);
        return switch (tag) { // each arm boxed as itself: a mixed switch would widen to double
            case INTS -> (Object) (int) INT.get(bytes, HEADER + index * Integer.BYTES);
            case LONGS -> (Object) (long) LONG.get(bytes, HEADER + index * Long.BYTES);
            default -> (Object) (double) DOUBLE.get(bytes, HEADER + index * Long.BYTES);
        };
    }

    @Override
    public int size() {
        return size;
    }

    @Serial
    private Object writeReplace() {
        return new ArrayList<>(this);
    }

    /** The lists of a map's messages as one, in order, without copying them (all but the last of one size). */
    static <R> List<R> concat(List<List<R>> parts) {
        if (parts.size() <= 1) {
            return parts.isEmpty() ? List.of() : parts.getFirst();
        }
        int per = parts.getFirst().size();
        int total = per * (parts.size() - 1) + parts.getLast().size();
        return new Concat<>(parts, per, total);
    }

    /** A read-only view of equal-sized lists end to end. */
    private static final class Concat<R> extends AbstractList<R> implements RandomAccess, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final transient List<List<R>> parts;
        private final transient int per;
        private final transient int size;

        Concat(List<List<R>> parts, int per, int size) {
            this.parts = parts;
            this.per = per;
            this.size = size;
        }

        @Override
        public R get(int index) {
            Objects.checkIndex(index, size);
            return parts.get(index / per).get(index % per);
        }

        @Override
        public int size() {
            return size;
        }

        @Serial
        private Object writeReplace() {
            return new ArrayList<>(this);
        }
    }
}
