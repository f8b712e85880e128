package io.millrace.actors.codec;

import java.lang.invoke.MethodHandle;

/**
 * A record, through three method handles that {@link Planner} composes once from the component accessors, the
 * canonical constructor and each component's writer, sizer and reader:
 * <ul>
 *   <li>{@code sizer (Object, int depth)int}: the sum of the reference components' sizes (the primitive ones are a
 *       constant);</li>
 *   <li>{@code writer (Object, Writer)void}: each component in order, primitives by the accessor's exact type (no
 *       boxing), references through their {@link Slot};</li>
 *   <li>{@code reader (Reader)Object}: the constructor with each argument filtered by its reader, left to right.</li>
 * </ul>
 * One handle per record and pass, not one per component: the JVM compiles a handle that is invoked often into code
 * of its own in which the component handles are constants, so they inline.
 */
final class RecordPlan extends ValuePlan {
    private int fieldCount;
    /** Bytes of the field count and the primitive components. */
    private int fixedSize;
    /** {@code (Object, int)int}, or null when every component is primitive. */
    private MethodHandle sizer;
    private MethodHandle writer;
    private MethodHandle reader;

    RecordPlan(Class<?> type) {
        super(type, -1);
    }

    void init(int fieldCount, int fixedSize, MethodHandle sizer, MethodHandle writer, MethodHandle reader) {
        this.fieldCount = fieldCount;
        this.fixedSize = fixedSize;
        this.sizer = sizer;
        this.writer = writer;
        this.reader = reader;
    }

    /** {@code (Object, Writer)void}: the components, without the count; null until built. */
    MethodHandle writer() {
        return writer;
    }

    /** {@code (Reader)Object}: the components read and the record constructed, after the count; null until built. */
    MethodHandle reader() {
        return reader;
    }

    int fieldCount() {
        return fieldCount;
    }

    /** Reads a record's field count and checks it against the class: the step before {@link #reader()}. */
    static void checkCount(Reader r, int expected, Class<?> type) {
        long at = r.offset();
        int count = r.readVarint();
        if (count != expected) {
            throw new CodecException("corrupt message at offset=" + at + ": " + type.getName() + " has "
                    + expected + " components, the record has count=" + count
                    + " (another version of the class?)");
        }
    }

    @Override
    int size(Object value, int depth) {
        checkDepth(depth);
        MethodHandle s = sizer;
        if (s == null) {
            return fixedSize;
        }
        try {
            return Math.addExact(fixedSize, (int) s.invokeExact(value, depth + 1));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw accessorFailed(t);
        }
    }

    @Override
    void write(Object value, Writer w) {
        w.enter();
        w.writeVarint(fieldCount);
        try {
            writer.invokeExact(value, w);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw accessorFailed(t);
        }
        w.exit();
    }

    private CodecException accessorFailed(Throwable t) {
        return new CodecException("an accessor of " + type.getName() + " failed: " + t, t);
    }

    @Override
    Object read(Reader r) {
        r.enter();
        long at = r.offset();
        checkCount(r, fieldCount, type);
        Object value;
        try {
            value = (Object) reader.invokeExact(r);
        } catch (CodecException e) {
            throw e;
        } catch (Throwable t) {
            throw new CodecException("corrupt message at offset=" + at + ": cannot construct " + type.getName()
                    + " from the decoded components: " + t, t);
        }
        r.exit();
        return value;
    }
}
