package io.millrace.shm;

/**
 * A blocking call waited on a peer that is no longer there: a consumer whose ring is drained and whose producers
 * are gone, one of them having died (producers that all left on purpose end the stream instead, see
 * {@link Ring#END_OF_STREAM}), or a producer blocked on a full ring whose consumer died or detached.
 * The message names the ring and the pids.
 */
public final class PeerGoneException extends ShmException {
    private final boolean died;

    public PeerGoneException(String message, boolean died) {
        super(message);
        this.died = died;
    }

    /** True when at least one of the peers died without detaching (killed, crashed); false when all detached. */
    public boolean died() {
        return died;
    }
}
