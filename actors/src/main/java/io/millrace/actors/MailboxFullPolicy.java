package io.millrace.actors;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@code tell} does when the recipient's lane queue is full: wait a bounded time (with the system's wait
 * strategy) and then hand the message to the dead letters, or throw {@link MailboxFullException} at once. A tell
 * never blocks without bound.
 *
 * <p>A tell from the recipient's own lane thread (an actor telling an actor of its lane, or itself) cannot wait for
 * its own thread to make room: under {@link WaitThenDeadLetter} such a message becomes a dead letter at once.
 */
public sealed interface MailboxFullPolicy {

    /**
     * Wait up to {@code timeout} for room, then dead-letter the message.
     *
     * @param timeout how long a teller waits for room; zero means not at all
     * @return the policy
     * @throws IllegalArgumentException if the timeout is negative
     */
    static MailboxFullPolicy waitUpTo(Duration timeout) {
        return new WaitThenDeadLetter(timeout);
    }

    /** Throw {@link MailboxFullException} from {@code tell} when the queue is full. */
    static MailboxFullPolicy failFast() {
        return FailFast.INSTANCE;
    }

    /**
     * Wait up to {@code timeout}, then dead-letter.
     *
     * @param timeout the bound, not negative
     */
    record WaitThenDeadLetter(Duration timeout) implements MailboxFullPolicy {
        public WaitThenDeadLetter {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("timeout=" + timeout + " must not be negative");
            }
        }
    }

    /** Throw {@link MailboxFullException}. */
    enum FailFast implements MailboxFullPolicy {
        INSTANCE
    }
}
