package io.millrace.shm;

/**
 * Outcome of publishing a record: the one vocabulary for "the ring is full". {@link Ring#offer},
 * {@link Ring.Batch#offer} and {@link Ring#send} return it; {@link Ring#tryClaim}, which returns an offset, reports
 * the same outcome as the sentinel {@link Ring#BACK_PRESSURED}. A full ring is never an exception; a message that can
 * never fit is ({@link MessageTooLargeException}), and so is a consumer that is gone ({@link PeerGoneException}, from
 * {@code send}).
 */
public enum OfferStatus {
    /** The record is in the ring (for a {@link Ring.Batch}: written, and published at the batch's flush). */
    ACCEPTED,
    /**
     * The ring has no room for the record now (for {@code send}: still none when the timeout passed); nothing was
     * written. Retry, drop, or wait with {@link Ring#send}.
     */
    BACK_PRESSURED
}
