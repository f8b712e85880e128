package io.millrace.state;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The memory accesses of struct fields: what generated flyweights call, one static method per kind and operation.
 * Primitive reads are acquire, writes release, adds and compare-and-sets volatile read-modify-writes on the word
 * itself; {@code float}/{@code double} adds are compare-and-set loops on their bits. Strings and byte arrays are a
 * 2-byte length then the bytes, plain accesses: whole only inside a snapshot or update.
 */
final class StructAccess {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle().withInvokeExactBehavior();
    private static final VarHandle CHAR = ValueLayout.JAVA_CHAR.varHandle().withInvokeExactBehavior();
    private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle().withInvokeExactBehavior();

    private StructAccess() {
    }

    static long getLong(MemorySegment s, long o) {
        return (long) LONG.getAcquire(s, o);
    }

    static void setLong(MemorySegment s, long o, long v) {
        LONG.setRelease(s, o, v);
    }

    static long addLong(MemorySegment s, long o, long d) {
        return (long) LONG.getAndAdd(s, o, d) + d;
    }

    static boolean casLong(MemorySegment s, long o, long e, long v) {
        return (boolean) LONG.compareAndSet(s, o, e, v);
    }

    static int getInt(MemorySegment s, long o) {
        return (int) INT.getAcquire(s, o);
    }

    static void setInt(MemorySegment s, long o, int v) {
        INT.setRelease(s, o, v);
    }

    static int addInt(MemorySegment s, long o, int d) {
        return (int) INT.getAndAdd(s, o, d) + d;
    }

    static boolean casInt(MemorySegment s, long o, int e, int v) {
        return (boolean) INT.compareAndSet(s, o, e, v);
    }

    static double getDouble(MemorySegment s, long o) {
        return Double.longBitsToDouble(getLong(s, o));
    }

    static void setDouble(MemorySegment s, long o, double v) {
        setLong(s, o, Double.doubleToRawLongBits(v));
    }

    static double addDouble(MemorySegment s, long o, double d) {
        while (true) {
            long bits = (long) LONG.getVolatile(s, o);
            double next = Double.longBitsToDouble(bits) + d;
            if ((boolean) LONG.compareAndSet(s, o, bits, Double.doubleToRawLongBits(next))) {
                return next;
            }
        }
    }

    /** Compares bit patterns, as {@code AtomicLong} over {@code doubleToRawLongBits} would. */
    static boolean casDouble(MemorySegment s, long o, double e, double v) {
        return casLong(s, o, Double.doubleToRawLongBits(e), Double.doubleToRawLongBits(v));
    }

    static float getFloat(MemorySegment s, long o) {
        return Float.intBitsToFloat(getInt(s, o));
    }

    static void setFloat(MemorySegment s, long o, float v) {
        setInt(s, o, Float.floatToRawIntBits(v));
    }

    static float addFloat(MemorySegment s, long o, float d) {
        while (true) {
            int bits = (int) INT.getVolatile(s, o);
            float next = Float.intBitsToFloat(bits) + d;
            if ((boolean) INT.compareAndSet(s, o, bits, Float.floatToRawIntBits(next))) {
                return next;
            }
        }
    }

    static boolean casFloat(MemorySegment s, long o, float e, float v) {
        return casInt(s, o, Float.floatToRawIntBits(e), Float.floatToRawIntBits(v));
    }

    static short getShort(MemorySegment s, long o) {
        return (short) SHORT.getAcquire(s, o);
    }

    static void setShort(MemorySegment s, long o, short v) {
        SHORT.setRelease(s, o, v);
    }

    static char getChar(MemorySegment s, long o) {
        return (char) CHAR.getAcquire(s, o);
    }

    static void setChar(MemorySegment s, long o, char v) {
        CHAR.setRelease(s, o, v);
    }

    static byte getByte(MemorySegment s, long o) {
        return (byte) BYTE.getAcquire(s, o);
    }

    static void setByte(MemorySegment s, long o, byte v) {
        BYTE.setRelease(s, o, v);
    }

    static boolean getBoolean(MemorySegment s, long o) {
        return (byte) BYTE.getAcquire(s, o) != 0;
    }

    static void setBoolean(MemorySegment s, long o, boolean v) {
        BYTE.setRelease(s, o, (byte) (v ? 1 : 0));
    }

    /** The bytes of a length-prefixed field; a torn length (a read racing a write) is clamped to the capacity. */
    static byte[] getBytes(MemorySegment s, long o, int capacity) {
        int length = Math.min(Short.toUnsignedInt((short) SHORT.getAcquire(s, o)), capacity);
        byte[] bytes = new byte[length];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, o + 2, bytes, 0, length);
        return bytes;
    }

    static void setBytes(MemorySegment s, long o, int capacity, byte[] v, String field) {
        if (v == null) {
            throw new NullPointerException("field '" + field + "': value is null");
        }
        if (v.length > capacity) {
            throw new IllegalArgumentException("field '" + field + "': length=" + v.length + " exceeds its @Length("
                    + capacity + ")");
        }
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_BYTE, o + 2, v.length);
        SHORT.setRelease(s, o, (short) v.length);
    }

    static String getString(MemorySegment s, long o, int capacity) {
        return new String(getBytes(s, o, capacity), StandardCharsets.UTF_8);
    }

    static void setString(MemorySegment s, long o, int capacity, String v, String field) {
        if (v == null) {
            throw new NullPointerException("field '" + field + "': value is null");
        }
        byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > capacity) {
            throw new IllegalArgumentException("field '" + field + "': the string takes " + bytes.length
                    + " bytes in UTF-8, more than its @Length(" + capacity + ")");
        }
        setBytes(s, o, capacity, bytes, field);
    }
}
