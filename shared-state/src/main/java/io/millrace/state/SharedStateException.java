package io.millrace.state;

import io.millrace.shm.ShmException;

/**
 * A shared struct or map could not be created, opened or used as asked. {@link #reason()} says which rule was broken,
 * so that callers can tell a full map from a corrupt file; the message names the structure and the values involved.
 */
public final class SharedStateException extends ShmException {

    /** Why a shared-state operation failed. */
    public enum Reason {
        /** The file's header, geometry or a segment's words hold values no structure of this kind can have. */
        CORRUPT,
        /** The file was laid out for another declaration (struct schema, key or value capacity). */
        SCHEMA_MISMATCH,
        /** The file holds a structure of another layout version. */
        VERSION_MISMATCH,
        /** The creator did not finish laying the structure out within the open timeout. */
        NOT_READY,
        /** The map has no free slot in the segment the key hashes to. */
        MAP_FULL,
        /** A key or value encodes to more bytes than a slot holds. */
        ENTRY_TOO_LARGE,
        /** A live process held a lock for longer than the timeout. */
        LOCK_TIMEOUT,
        /** A transaction met a conflict on every one of its attempts and gave up. */
        TX_CONFLICT
    }

    private final Reason reason;

    SharedStateException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    SharedStateException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    /** {@return why the operation failed} */
    public Reason reason() {
        return reason;
    }
}
