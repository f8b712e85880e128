package io.millrace.shm;

/**
 * A region could not be created, attached or opened. {@link #reason()} says which rule was broken, so that
 * callers can react to a missing region differently from a corrupt one; the message says it to people.
 */
public final class RegionException extends ShmException {

    /** Why a region operation failed. */
    public enum Reason {
        /** The name is empty, too long, contains a path separator or {@code ..}, or other forbidden characters. */
        INVALID_NAME,
        /** {@code create} found a file of that name already. */
        ALREADY_EXISTS,
        /** {@code attach} found no file of that name. */
        MISSING,
        /** The requested structures do not fit, or the file is smaller than a region header. */
        TOO_SMALL,
        /** The file does not start with Millrace's magic number: it is not a Millrace region. */
        FOREIGN_FILE,
        /** The file's layout version differs from the one this library reads. */
        VERSION_MISMATCH,
        /** The file is shorter than the size its header records. */
        TRUNCATED,
        /** The file or the base directory belongs to another user or is open to group or others. */
        PERMISSIONS,
        /** The creator did not mark the region ready within the attach timeout. */
        ATTACH_TIMEOUT,
        /** A named ring or atomic is not in the region, or is of another kind. */
        NO_SUCH_STRUCTURE,
        /**
         * A field of the header, the directory or a ring's header holds a value no Millrace region can have (the
         * message names the field and the value): the file was damaged, or written by something else.
         */
        CORRUPT,
        /** The file system has no room for the region: the message says how many bytes it needed and had free. */
        NO_SPACE,
        /** The operating system refused an operation (I/O error, mapping failed). */
        IO
    }

    private final Reason reason;

    public RegionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RegionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
