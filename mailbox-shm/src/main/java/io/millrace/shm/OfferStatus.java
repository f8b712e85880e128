package io.millrace.shm;

/** Outcome of a non-blocking {@link Ring#offer}: the hot path reports a full ring as a value, never throws. */
public enum OfferStatus {
    /** The record is in the ring and visible to the consumer. */
    ACCEPTED,
    /** The ring has no room for the record now; nothing was written. Retry, drop, or use {@link Ring#send}. */
    BACK_PRESSURED
}
