package io.millrace.actors.codec;

import java.lang.foreign.MemorySegment;

/** A type carried by a user's {@link Codec}: its bytes framed by a length, handed over as an exact-size slice. */
final class CustomPlan<T> extends ValuePlan {
    private final Class<T> codecType;
    private final Codec<T> codec;

    CustomPlan(Class<T> type, Codec<T> codec) {
        super(type, -1);
        this.codecType = type;
        this.codec = codec;
    }

    private int userSize(T value) {
        int size = codec.sizeOf(value);
        if (size < 0 || size > Integer.MAX_VALUE / 2) {
            throw new CodecException("Codec " + codec.getClass().getName() + " for " + type.getName()
                    + " returned sizeOf=" + size);
        }
        return size;
    }

    @Override
    int size(Object value, int depth) {
        int size = userSize(codecType.cast(value));
        return Wire.varintSize(size) + size;
    }

    @Override
    void write(Object value, Writer writer) {
        T v = codecType.cast(value);
        int size = userSize(v);
        writer.writeVarint(size);
        MemorySegment slice = writer.slice(size);
        try {
            codec.write(v, slice, 0);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("Codec " + codec.getClass().getName() + " for " + type.getName()
                    + " failed to write: " + e, e);
        }
    }

    @Override
    Object read(Reader reader) {
        long at = reader.offset();
        int length = reader.readCount(type.getName() + " bytes", 1);
        MemorySegment slice = reader.slice(length);
        T value;
        try {
            value = codec.read(slice, 0, length);
        } catch (RuntimeException e) {
            throw new CodecException("corrupt message at offset=" + at + ": Codec " + codec.getClass().getName()
                    + " for " + type.getName() + " failed to read length=" + length + ": " + e, e);
        }
        if (!codecType.isInstance(value)) {
            throw new CodecException("Codec " + codec.getClass().getName() + " for " + type.getName()
                    + " read " + (value == null ? "null" : "a " + value.getClass().getName()));
        }
        return value;
    }
}
