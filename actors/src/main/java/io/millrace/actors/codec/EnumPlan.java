package io.millrace.actors.codec;

/** An enum, by ordinal (both processes run the same class). */
final class EnumPlan extends ValuePlan {
    private final Object[] constants;

    EnumPlan(Class<?> type) {
        super(type, -1);
        this.constants = type.getEnumConstants();
    }

    @Override
    int size(Object value, int depth) {
        return Wire.varintSize(((Enum<?>) type.cast(value)).ordinal());
    }

    @Override
    void write(Object value, Writer writer) {
        writer.writeVarint(((Enum<?>) value).ordinal());
    }

    @Override
    Object read(Reader reader) {
        long at = reader.offset();
        int ordinal = reader.readVarint();
        if (ordinal < 0 || ordinal >= constants.length) {
            throw new CodecException("corrupt message at offset=" + at + ": " + type.getName() + " has "
                    + constants.length + " constants, ordinal=" + Integer.toUnsignedString(ordinal));
        }
        return constants[ordinal];
    }
}
