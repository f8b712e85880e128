package io.millrace.actors.internal;

import java.util.function.BooleanSupplier;

/**
 * How an idle lane thread waits for work, and how a teller wakes it: {@link RingLaneIdler} sleeps on the futex of the
 * lane's ring in the node region, so that remote senders and local tellers wake the same sleeper.
 *
 * <p>Contract: {@link #idle} returns once {@code workReady} is true or {@link #wake} was called after it started to
 * sleep (spurious returns are allowed: the lane polls again). A teller calls {@link #wake} after publishing; it must
 * cost no more than a volatile load when the lane is not asleep.
 */
public interface LaneIdler {

    /**
     * Waits for work; called by the lane thread only, when a duty cycle found nothing to do.
     *
     * @param workReady true when a source has work; checked again after announcing sleep
     */
    void idle(BooleanSupplier workReady);

    /** Wakes the lane thread if it sleeps; called by any thread after it made work ready. */
    void wake();
}
