package io.millrace.actors.codec;

import java.lang.invoke.MethodHandle;

/**
 * A record, through its component accessors and canonical constructor as method handles (built by
 * {@link Planner}). Writing walks the components in order; primitives are written by their accessor's exact type
 * (no boxing), references through their {@link Slot}. Reading is one method handle, {@code (Reader)Object}: the
 * canonical constructor with each argument filtered by that component's reader, run left to right, so decoding
 * allocates nothing but the record and its values.
 */
final class RecordPlan extends ValuePlan {
    /** Per component: a {@link Wire} primitive id (BOOLEAN..DOUBLE), or 0 for a reference read through a slot. */
    private int[] kinds;
    /** Per component: its accessor, typed {@code (Object)primitive} or {@code (Object)Object}. */
    private MethodHandle[] getters;
    private Slot[] slots;
    private String[] names;
    /** The indices of the reference components: the only ones whose size varies. */
    private int[] references;
    /** Bytes of the field count and the primitive components. */
    private int fixedSize;
    /** {@code (Reader)Object}: reads the components and calls the canonical constructor. */
    private MethodHandle reader;

    RecordPlan(Class<?> type) {
        super(type, -1);
    }

    void init(int[] kinds, MethodHandle[] getters, Slot[] slots, String[] names, MethodHandle reader) {
        int fixed = Wire.varintSize(kinds.length);
        int refs = 0;
        for (int kind : kinds) {
            fixed += primitiveSize(kind);
            refs += kind == 0 ? 1 : 0;
        }
        int[] references = new int[refs];
        for (int i = 0, r = 0; i < kinds.length; i++) {
            if (kinds[i] == 0) {
                references[r++] = i;
            }
        }
        this.kinds = kinds;
        this.getters = getters;
        this.slots = slots;
        this.names = names;
        this.references = references;
        this.fixedSize = fixed;
        this.reader = reader;
    }

    static int primitiveSize(int kind) {
        return switch (kind) {
            case Wire.BOOLEAN, Wire.BYTE -> 1;
            case Wire.SHORT, Wire.CHAR -> 2;
            case Wire.INT, Wire.FLOAT -> 4;
            case Wire.LONG, Wire.DOUBLE -> 8;
            default -> 0;
        };
    }

    @Override
    int size(Object value, int depth) {
        checkDepth(depth);
        int size = fixedSize;
        int i = -1;
        try {
            for (int r : references) {
                i = r;
                size += slots[r].size((Object) getters[r].invokeExact(value), depth + 1);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw accessorFailed(i, t);
        }
        return size;
    }

    @Override
    void write(Object value, Writer writer) {
        writer.enter();
        int[] kinds = this.kinds;
        MethodHandle[] getters = this.getters;
        writer.writeVarint(kinds.length);
        int i = 0;
        try {
            for (; i < kinds.length; i++) {
                MethodHandle g = getters[i];
                switch (kinds[i]) {
                    case Wire.BOOLEAN -> writer.writeBoolean((boolean) g.invokeExact(value));
                    case Wire.BYTE -> writer.writeByte((byte) g.invokeExact(value));
                    case Wire.SHORT -> writer.writeShort((short) g.invokeExact(value));
                    case Wire.CHAR -> writer.writeChar((char) g.invokeExact(value));
                    case Wire.INT -> writer.writeInt((int) g.invokeExact(value));
                    case Wire.LONG -> writer.writeLong((long) g.invokeExact(value));
                    case Wire.FLOAT -> writer.writeFloat((float) g.invokeExact(value));
                    case Wire.DOUBLE -> writer.writeDouble((double) g.invokeExact(value));
                    default -> slots[i].write((Object) g.invokeExact(value), writer);
                }
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw accessorFailed(i, t);
        }
        writer.exit();
    }

    private CodecException accessorFailed(int i, Throwable t) {
        return new CodecException("the accessor of " + type.getName() + "." + (i < 0 ? "?" : names[i]) + " failed: "
                + t, t);
    }

    @Override
    Object read(Reader reader) {
        reader.enter();
        long at = reader.offset();
        int count = reader.readVarint();
        if (count != kinds.length) {
            throw new CodecException("corrupt message at offset=" + at + ": " + type.getName() + " has "
                    + kinds.length + " components, the record has count=" + count
                    + " (another version of the class?)");
        }
        Object value;
        try {
            value = (Object) this.reader.invokeExact(reader);
        } catch (CodecException e) {
            throw e;
        } catch (Throwable t) {
            throw new CodecException("corrupt message at offset=" + at + ": cannot construct " + type.getName()
                    + " from the decoded components: " + t, t);
        }
        reader.exit();
        return value;
    }
}
