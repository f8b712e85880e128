package io.millrace.actors;

import java.time.Duration;
import java.util.Objects;

/**
 * How the node that started a child JVM node restarts it when its process dies ({@link NodeSpec#withRestart}):
 * after a back-off that doubles from {@code minBackoff} up to {@code maxBackoff}, at most {@code maxRestarts}
 * times in the node's life. The actors spawned on it with {@link RemoteNode#spawn} are spawned again there from
 * their factories; children spawned with {@code Props.onNode} belong to their parents, which get
 * {@link ChildFailed} and decide. A node that exits because it was told to (close, terminate, the parent system
 * terminating) is not restarted.
 *
 * @param minBackoff  the delay before the first restart, positive
 * @param maxBackoff  the longest delay, at least {@code minBackoff}
 * @param maxRestarts how many restarts at most, 1 or more
 */
public record NodeRestart(Duration minBackoff, Duration maxBackoff, int maxRestarts) {

    public NodeRestart {
        Objects.requireNonNull(minBackoff, "minBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (minBackoff.isNegative() || minBackoff.isZero()) {
            throw new IllegalArgumentException("minBackoff=" + minBackoff + " must be positive");
        }
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff=" + maxBackoff + " must be at least minBackoff="
                    + minBackoff);
        }
        if (maxRestarts < 1) {
            throw new IllegalArgumentException("maxRestarts=" + maxRestarts + " must be 1 or more");
        }
    }

    /**
     * Restarts with a doubling back-off.
     *
     * @param minBackoff  the first delay, positive
     * @param maxBackoff  the longest delay, at least {@code minBackoff}
     * @param maxRestarts how many restarts at most, 1 or more
     * @return the policy
     */
    public static NodeRestart withBackoff(Duration minBackoff, Duration maxBackoff, int maxRestarts) {
        return new NodeRestart(minBackoff, maxBackoff, maxRestarts);
    }

    /**
     * @param restartsSoFar how many restarts came before this one, 0 or more
     * @return the delay before it: {@code minBackoff * 2^restartsSoFar}, at most {@code maxBackoff}
     */
    public Duration backoff(int restartsSoFar) {
        if (restartsSoFar < 0) {
            throw new IllegalArgumentException("restartsSoFar=" + restartsSoFar + " must not be negative");
        }
        Duration delay = minBackoff;
        for (int i = 0; i < restartsSoFar && delay.compareTo(maxBackoff) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }
}
