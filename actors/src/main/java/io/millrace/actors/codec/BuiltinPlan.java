package io.millrace.actors.codec;

import java.lang.foreign.ValueLayout;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/** The JDK value types with a fixed wire id: boxes, String, primitive arrays, Instant and Duration. */
final class BuiltinPlan extends ValuePlan {
    private final int kind;

    private BuiltinPlan(Class<?> type, int kind) {
        super(type, kind);
        this.kind = kind;
    }

    /** One plan per built-in id below {@link Wire#FIRST_USER_ID} that this class handles, else null. */
    static BuiltinPlan[] all() {
        BuiltinPlan[] plans = new BuiltinPlan[Wire.FIRST_USER_ID];
        Class<?>[] types = {null, Boolean.class, Byte.class, Short.class, Character.class, Integer.class, Long.class,
                Float.class, Double.class, String.class, boolean[].class, byte[].class, short[].class, char[].class,
                int[].class, long[].class, float[].class, double[].class};
        for (int id = 1; id < types.length; id++) {
            plans[id] = new BuiltinPlan(types[id], id);
        }
        plans[Wire.INSTANT] = new BuiltinPlan(Instant.class, Wire.INSTANT);
        plans[Wire.DURATION] = new BuiltinPlan(Duration.class, Wire.DURATION);
        return plans;
    }

    /** The element layout of a primitive array kind (boolean arrays are copied byte by byte). */
    private static ValueLayout layout(int kind) {
        return switch (kind) {
            case Wire.BYTE_ARRAY -> ValueLayout.JAVA_BYTE;
            case Wire.SHORT_ARRAY -> Writer.SHORT;
            case Wire.CHAR_ARRAY -> Writer.CHAR;
            case Wire.INT_ARRAY -> Writer.INT;
            case Wire.LONG_ARRAY -> Writer.LONG;
            case Wire.FLOAT_ARRAY -> Writer.FLOAT;
            case Wire.DOUBLE_ARRAY -> Writer.DOUBLE;
            default -> ValueLayout.JAVA_BYTE;
        };
    }

    @Override
    int size(Object value, int depth) {
        return switch (kind) {
            case Wire.BOOLEAN, Wire.BYTE -> checked(value, 1);
            case Wire.SHORT, Wire.CHAR -> checked(value, 2);
            case Wire.INT, Wire.FLOAT -> checked(value, 4);
            case Wire.LONG, Wire.DOUBLE -> checked(value, 8);
            case Wire.STRING -> Wire.stringSize((String) value);
            case Wire.INSTANT, Wire.DURATION -> checked(value, 12);
            default -> arraySize(value);
        };
    }

    private int checked(Object value, int size) {
        type.cast(value);
        return size;
    }

    private int arraySize(Object value) {
        int count = java.lang.reflect.Array.getLength(type.cast(value));
        long bytes = (long) count * layout(kind).byteSize();
        if (bytes > Integer.MAX_VALUE / 2) {
            throw new CodecException("array of length=" + count + " is too long for a message");
        }
        return Wire.varintSize(count) + (int) bytes;
    }

    @Override
    void write(Object value, Writer writer) {
        switch (kind) {
            case Wire.BOOLEAN -> writer.writeBoolean((Boolean) value);
            case Wire.BYTE -> writer.writeByte((Byte) value);
            case Wire.SHORT -> writer.writeShort((Short) value);
            case Wire.CHAR -> writer.writeChar((Character) value);
            case Wire.INT -> writer.writeInt((Integer) value);
            case Wire.LONG -> writer.writeLong((Long) value);
            case Wire.FLOAT -> writer.writeFloat((Float) value);
            case Wire.DOUBLE -> writer.writeDouble((Double) value);
            case Wire.STRING -> writer.writeString((String) value);
            case Wire.INSTANT -> {
                Instant instant = (Instant) value;
                writer.writeLong(instant.getEpochSecond());
                writer.writeInt(instant.getNano());
            }
            case Wire.DURATION -> {
                Duration duration = (Duration) value;
                writer.writeLong(duration.getSeconds());
                writer.writeInt(duration.getNano());
            }
            case Wire.BOOLEAN_ARRAY -> {
                boolean[] array = (boolean[]) value;
                writer.writeVarint(array.length);
                for (boolean b : array) {
                    writer.writeBoolean(b);
                }
            }
            default -> {
                int count = java.lang.reflect.Array.getLength(value);
                writer.writeVarint(count);
                writer.writeArray(value, layout(kind), count);
            }
        }
    }

    @Override
    Object read(Reader reader) {
        return switch (kind) {
            case Wire.BOOLEAN -> reader.readBoolean();
            case Wire.BYTE -> reader.readByte();
            case Wire.SHORT -> reader.readShort();
            case Wire.CHAR -> reader.readChar();
            case Wire.INT -> reader.readInt();
            case Wire.LONG -> reader.readLong();
            case Wire.FLOAT -> reader.readFloat();
            case Wire.DOUBLE -> reader.readDouble();
            case Wire.STRING -> reader.readString();
            case Wire.INSTANT, Wire.DURATION -> readTime(reader);
            case Wire.BOOLEAN_ARRAY -> {
                boolean[] array = new boolean[reader.readCount("boolean[]", 1)];
                for (int i = 0; i < array.length; i++) {
                    array[i] = reader.readBoolean();
                }
                yield array;
            }
            default -> readArray(reader);
        };
    }

    private Object readTime(Reader reader) {
        long at = reader.offset();
        long seconds = reader.readLong();
        int nanos = reader.readInt();
        try {
            return kind == Wire.INSTANT ? Instant.ofEpochSecond(seconds, nanos) : Duration.ofSeconds(seconds, nanos);
        } catch (DateTimeException | ArithmeticException e) {
            throw new CodecException("corrupt message at offset=" + at + ": " + type.getSimpleName() + " seconds="
                    + seconds + " nanos=" + nanos + ": " + e.getMessage());
        }
    }

    private Object readArray(Reader reader) {
        ValueLayout layout = layout(kind);
        int count = reader.readCount(type.getSimpleName(), layout.byteSize());
        Object array = java.lang.reflect.Array.newInstance(type.getComponentType(), count);
        reader.readArray(array, layout, count);
        return array;
    }
}
