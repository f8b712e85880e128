package io.millrace.actors.codec;

/** The shared type table has no free entry for another class name: give its block more bytes. */
public final class TypeTableFullException extends CodecException {
    private static final long serialVersionUID = 1L;

    TypeTableFullException(String message) {
        super(message);
    }
}
