package io.millrace.shm;

/**
 * A record header in a ring holds what no producer writes: a length below the 8-byte header, a record that runs
 * past the end of the buffer or past the space producers have claimed, an unknown type. Shared memory was written
 * by something that does not follow the protocol (a zero-copy writer past the end of its claim, a stray process,
 * a damaged file). The consumer stops there: the records before it were delivered, nothing at or after it is
 * delivered or released, and every poll throws again at the same position.
 */
public final class CorruptRecordException extends ShmException {
    private final String ringName;
    private final long position;
    private final long header;

    /**
     * @param message  names the ring, the position, the header and what is wrong with it
     * @param ringName the ring's name in its region
     * @param position the record's position (bytes since the ring's creation)
     * @param header   the 8-byte header found there
     */
    public CorruptRecordException(String message, String ringName, long position, long header) {
        super(message);
        this.ringName = ringName;
        this.position = position;
        this.header = header;
    }

    /** @return the ring's name in its region */
    public String ringName() {
        return ringName;
    }

    /** @return the corrupt record's position: bytes since the ring's creation */
    public long position() {
        return position;
    }

    /** @return the header found there, as one little-endian long (length in the low int, type in the high) */
    public long header() {
        return header;
    }
}
