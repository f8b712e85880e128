package io.millrace.actors.codec;

/**
 * How one type is encoded: built once per class and codec, then reused for every message. {@code size} and
 * {@code write} take a non-null value of the type; {@code read} returns one (or throws {@link CodecException}).
 */
abstract class ValuePlan {
    /** What the plan carries, for messages. */
    final Class<?> type;
    /** The wire type id, or -1 until the registry has been asked (user types). */
    volatile int wireId;

    ValuePlan(Class<?> type, int wireId) {
        this.type = type;
        this.wireId = wireId;
    }

    /** Bytes of {@code value}'s body; {@code depth} counts the enclosing values, to stop at a cycle. */
    abstract int size(Object value, int depth);

    abstract void write(Object value, Writer writer);

    abstract Object read(Reader reader);

    static void checkDepth(int depth) {
        if (depth > MessageCodec.MAX_DEPTH) {
            throw new CodecException("message nested deeper than " + MessageCodec.MAX_DEPTH
                    + " levels (a collection that contains itself?)");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + type.getName() + "]";
    }
}
