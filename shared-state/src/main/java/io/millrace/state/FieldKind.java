package io.millrace.state;

import java.lang.foreign.MemorySegment;

/** The field types a struct supports: size, alignment, whether it adds, and its boxed read and write. */
enum FieldKind {
    LONG(long.class, 8, true), DOUBLE(double.class, 8, true), INT(int.class, 4, true), FLOAT(float.class, 4, true),
    SHORT(short.class, 2, false), CHAR(char.class, 2, false), BYTE(byte.class, 1, false),
    BOOLEAN(boolean.class, 1, false), STRING(String.class, 2, false), BYTES(byte[].class, 2, false);

    final Class<?> type;
    final int size;
    final boolean numeric;

    FieldKind(Class<?> type, int size, boolean numeric) {
        this.type = type;
        this.size = size;
        this.numeric = numeric;
    }

    static FieldKind of(Class<?> type) {
        for (FieldKind kind : values()) {
            if (kind.type == type) {
                return kind;
            }
        }
        return null;
    }

    boolean hasLength() {
        return this == STRING || this == BYTES;
    }

    /** Bytes the field takes: its size, or the 2-byte length and the capacity. */
    int bytes(int capacity) {
        return hasLength() ? 2 + capacity : size;
    }

    /** The accessor name suffix in {@link StructAccess}: {@code getLong}, {@code casInt}. */
    String accessName() {
        String n = name();
        return n.charAt(0) + n.substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    Object read(MemorySegment s, long o, int capacity) {
        return switch (this) {
            case LONG -> StructAccess.getLong(s, o);
            case DOUBLE -> StructAccess.getDouble(s, o);
            case INT -> StructAccess.getInt(s, o);
            case FLOAT -> StructAccess.getFloat(s, o);
            case SHORT -> StructAccess.getShort(s, o);
            case CHAR -> StructAccess.getChar(s, o);
            case BYTE -> StructAccess.getByte(s, o);
            case BOOLEAN -> StructAccess.getBoolean(s, o);
            case STRING -> StructAccess.getString(s, o, capacity);
            case BYTES -> StructAccess.getBytes(s, o, capacity);
        };
    }

    void write(MemorySegment s, long o, int capacity, Object v, String field) {
        if (v == null) {
            throw new NullPointerException("field '" + field + "': value is null");
        }
        switch (this) {
            case LONG -> StructAccess.setLong(s, o, (Long) v);
            case DOUBLE -> StructAccess.setDouble(s, o, (Double) v);
            case INT -> StructAccess.setInt(s, o, (Integer) v);
            case FLOAT -> StructAccess.setFloat(s, o, (Float) v);
            case SHORT -> StructAccess.setShort(s, o, (Short) v);
            case CHAR -> StructAccess.setChar(s, o, (Character) v);
            case BYTE -> StructAccess.setByte(s, o, (Byte) v);
            case BOOLEAN -> StructAccess.setBoolean(s, o, (Boolean) v);
            case STRING -> StructAccess.setString(s, o, capacity, (String) v, field);
            case BYTES -> StructAccess.setBytes(s, o, capacity, (byte[]) v, field);
        }
    }
}
