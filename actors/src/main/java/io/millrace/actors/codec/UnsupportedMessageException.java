package io.millrace.actors.codec;

/**
 * A message (or a value inside it) that the codec cannot carry: a field of an unsupported type, a lambda, a plain
 * class with no {@link Codec} registered for it. Thrown at encode time and by {@link MessageCodec#check(Class)},
 * never at decode time, and never replaced by a silent drop.
 */
public final class UnsupportedMessageException extends CodecException {
    private static final long serialVersionUID = 1L;

    private final String owner;
    private final String field;
    private final String type;

    UnsupportedMessageException(String owner, String field, String type, String reason) {
        super("cannot encode " + owner + (field == null ? "" : "." + field) + " of type " + type + ": " + reason);
        this.owner = owner;
        this.field = field;
        this.type = type;
    }

    /** The class that holds the value: the record whose component it is, or the message class itself. */
    public String owner() {
        return owner;
    }

    /** The record component (or {@code component[element]}) that holds the value, or null for the message itself. */
    public String field() {
        return field;
    }

    /** The type that cannot be carried, as {@link Class#getName()} or a generic type's name. */
    public String type() {
        return type;
    }
}
