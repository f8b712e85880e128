package io.millrace.state;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * The memory accesses of struct fields. Reads ({@code getX(segment, offset)}) are acquire loads of the word, what
 * flyweights and snapshots call. The raw writes ({@code setX(segment, offset, v)}) are for a struct's redo copy and
 * for code holding the element's lock. What a flyweight's writers call ({@code setX}, {@code addX},
 * {@code compareAndSetX} with the struct and the field's offset in its element) is one single-field write of
 * {@link StructBase}: under the element's lock, between an odd and an even {@code seq}, so that it changes the
 * version a transaction validates (no lost update) and never lands inside an {@code update} or a commit.
 * Strings and byte arrays are a 2-byte length then the bytes.
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

    static int getInt(MemorySegment s, long o) {
        return (int) INT.getAcquire(s, o);
    }

    static void setInt(MemorySegment s, long o, int v) {
        INT.setRelease(s, o, v);
    }

    static double getDouble(MemorySegment s, long o) {
        return Double.longBitsToDouble(getLong(s, o));
    }

    static void setDouble(MemorySegment s, long o, double v) {
        setLong(s, o, Double.doubleToRawLongBits(v));
    }

    static float getFloat(MemorySegment s, long o) {
        return Float.intBitsToFloat(getInt(s, o));
    }

    static void setFloat(MemorySegment s, long o, float v) {
        setInt(s, o, Float.floatToRawIntBits(v));
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
        checkBytes(capacity, v, field);
        MemorySegment.copy(v, 0, s, ValueLayout.JAVA_BYTE, o + 2, v.length);
        SHORT.setRelease(s, o, (short) v.length);
    }

    private static byte[] checkBytes(int capacity, byte[] v, String field) {
        if (v == null) {
            throw new NullPointerException("field '" + field + "': value is null");
        }
        if (v.length > capacity) {
            throw new IllegalArgumentException("field '" + field + "': length=" + v.length + " exceeds its @Length("
                    + capacity + ")");
        }
        return v;
    }

    static String getString(MemorySegment s, long o, int capacity) {
        return new String(getBytes(s, o, capacity), StandardCharsets.UTF_8);
    }

    static void setString(MemorySegment s, long o, int capacity, String v, String field) {
        setBytes(s, o, capacity, utf8(capacity, v, field), field);
    }

    private static byte[] utf8(int capacity, String v, String field) {
        if (v == null) {
            throw new NullPointerException("field '" + field + "': value is null");
        }
        byte[] bytes = v.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > capacity) {
            throw new IllegalArgumentException("field '" + field + "': the string takes " + bytes.length
                    + " bytes in UTF-8, more than its @Length(" + capacity + ")");
        }
        return bytes;
    }

    // ------------------------------------------------------- a flyweight's single-field writes (o: in the element)

    static void setLong(StructBase b, long o, long v) {
        long s = b.lockWrite();
        b.odd(s);
        LONG.setRelease(b.segment, b.base + o, v);
        b.unlockWrite(s + 2);
    }

    static long addLong(StructBase b, long o, long d) {
        long s = b.lockWrite();
        b.odd(s);
        long v = (long) LONG.get(b.segment, b.base + o) + d;
        LONG.setRelease(b.segment, b.base + o, v);
        b.unlockWrite(s + 2);
        return v;
    }

    static boolean casLong(StructBase b, long o, long e, long v) {
        long s = b.lockWrite();
        if ((long) LONG.get(b.segment, b.base + o) != e) {
            b.unlockWrite(s); // nothing changed: the version stays
            return false;
        }
        b.odd(s);
        LONG.setRelease(b.segment, b.base + o, v);
        b.unlockWrite(s + 2);
        return true;
    }

    static void setInt(StructBase b, long o, int v) {
        long s = b.lockWrite();
        b.odd(s);
        INT.setRelease(b.segment, b.base + o, v);
        b.unlockWrite(s + 2);
    }

    static int addInt(StructBase b, long o, int d) {
        long s = b.lockWrite();
        b.odd(s);
        int v = (int) INT.get(b.segment, b.base + o) + d;
        INT.setRelease(b.segment, b.base + o, v);
        b.unlockWrite(s + 2);
        return v;
    }

    static boolean casInt(StructBase b, long o, int e, int v) {
        long s = b.lockWrite();
        if ((int) INT.get(b.segment, b.base + o) != e) {
            b.unlockWrite(s);
            return false;
        }
        b.odd(s);
        INT.setRelease(b.segment, b.base + o, v);
        b.unlockWrite(s + 2);
        return true;
    }

    static void setDouble(StructBase b, long o, double v) {
        setLong(b, o, Double.doubleToRawLongBits(v));
    }

    static double addDouble(StructBase b, long o, double d) {
        long s = b.lockWrite();
        b.odd(s);
        double v = Double.longBitsToDouble((long) LONG.get(b.segment, b.base + o)) + d;
        LONG.setRelease(b.segment, b.base + o, Double.doubleToRawLongBits(v));
        b.unlockWrite(s + 2);
        return v;
    }

    /** Compares bit patterns, as {@code AtomicLong} over {@code doubleToRawLongBits} would. */
    static boolean casDouble(StructBase b, long o, double e, double v) {
        return casLong(b, o, Double.doubleToRawLongBits(e), Double.doubleToRawLongBits(v));
    }

    static void setFloat(StructBase b, long o, float v) {
        setInt(b, o, Float.floatToRawIntBits(v));
    }

    static float addFloat(StructBase b, long o, float d) {
        long s = b.lockWrite();
        b.odd(s);
        float v = Float.intBitsToFloat((int) INT.get(b.segment, b.base + o)) + d;
        INT.setRelease(b.segment, b.base + o, Float.floatToRawIntBits(v));
        b.unlockWrite(s + 2);
        return v;
    }

    static boolean casFloat(StructBase b, long o, float e, float v) {
        return casInt(b, o, Float.floatToRawIntBits(e), Float.floatToRawIntBits(v));
    }

    static void setShort(StructBase b, long o, short v) {
        long s = b.lockWrite();
        b.odd(s);
        SHORT.setRelease(b.segment, b.base + o, v);
        b.unlockWrite(s + 2);
    }

    static void setChar(StructBase b, long o, char v) {
        long s = b.lockWrite();
        b.odd(s);
        CHAR.setRelease(b.segment, b.base + o, v);
        b.unlockWrite(s + 2);
    }

    static void setByte(StructBase b, long o, byte v) {
        long s = b.lockWrite();
        b.odd(s);
        BYTE.setRelease(b.segment, b.base + o, v);
        b.unlockWrite(s + 2);
    }

    static void setBoolean(StructBase b, long o, boolean v) {
        setByte(b, o, (byte) (v ? 1 : 0));
    }

    static void setBytes(StructBase b, long o, int capacity, byte[] v, String field) {
        checkBytes(capacity, v, field);
        long s = b.lockWrite();
        b.odd(s);
        setBytes(b.segment, b.base + o, capacity, v, field);
        b.unlockWrite(s + 2);
    }

    static void setString(StructBase b, long o, int capacity, String v, String field) {
        setBytes(b, o, capacity, utf8(capacity, v, field), field);
    }
}
