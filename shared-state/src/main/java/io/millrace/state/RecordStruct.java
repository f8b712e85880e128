package io.millrace.state;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.UnaryOperator;

/**
 * The flyweight of a struct derived from a record ({@link StructType#ofRecord}): {@link #snapshot()} and
 * {@link #update} as for any struct, and fields by name.
 *
 * @param <R> the record
 */
public final class RecordStruct<R extends Record> extends StructBase implements Struct<R> {
    static final MethodHandle FACTORY;

    static {
        try {
            FACTORY = MethodHandles.lookup().findConstructor(RecordStruct.class,
                    MethodType.methodType(void.class, StructArray.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    RecordStruct(StructArray<?> array, int index) {
        super(array, index);
    }

    @Override
    @SuppressWarnings("unchecked")
    public R snapshot() {
        return (R) snapshotRecord();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void update(UnaryOperator<R> fn) {
        updateRecord((UnaryOperator<Record>) (UnaryOperator<?>) fn);
    }

    /**
     * Reads one field.
     *
     * @param field a component's name
     * @return its value, boxed
     * @throws IllegalArgumentException when the record has no such component
     */
    public Object get(String field) {
        StructLayout.Field f = field(field);
        return f.kind().read(segment, base + f.offset(), f.capacity());
    }

    /**
     * Writes one field.
     *
     * @param field a component's name
     * @param value its new value, of the component's type (boxed)
     * @throws IllegalArgumentException when there is no such component or a string or array is too long
     * @throws ClassCastException       when the value is of another type
     */
    public void set(String field, Object value) {
        StructLayout.Field f = field(field);
        long seq = lockWrite(); // a single-field write (StructBase#lockWrite), the value checked under the lock
        try {
            odd(seq);
            f.kind().write(segment, base + f.offset(), f.capacity(), value, field);
            seq += 2;
        } finally {
            unlockWrite(seq);
        }
    }

    /**
     * Adds atomically to a {@code long} field.
     *
     * @param field a {@code long} component's name
     * @param delta what to add
     * @return the new value
     * @throws IllegalArgumentException when there is no such component or it is not a {@code long}
     */
    public long addLong(String field, long delta) {
        StructLayout.Field f = field(field);
        if (f.kind() != FieldKind.LONG) {
            throw new IllegalArgumentException("field '" + field + "' is " + f.kind() + ", not LONG");
        }
        return StructAccess.addLong(this, f.offset(), delta);
    }

    private StructLayout.Field field(String name) {
        StructLayout.Field f = array.type.layout.field(name);
        if (f == null) {
            throw new IllegalArgumentException("struct " + array.type.declaration.getName() + " has no field '" + name
                    + "'");
        }
        return f;
    }
}
