package io.millrace.actors.internal;

import io.millrace.actors.MailboxFullPolicy;

import java.time.Duration;

/**
 * An actor's full-mailbox policy, carried in its uid so that a sender on another node observes it: the recipient's
 * {@code Props} live in another process, but every tell has the recipient's path, and so its uid, in hand (no
 * lookup, no shared table, nothing on the path of a tell whose ring has room).
 *
 * <p>Layout of a uid: bit 63 clear; bit 62 set for a uid that a parent on another node picked ({@code Props.onNode}:
 * random low bits); bits 60-61 the policy kind (0: none given, the sender's default applies; 1: fail-fast; 2: wait,
 * then dead-letter); bits 44-59 the wait in milliseconds (a timeout given in finer units is rounded up, one over
 * {@link #MAX_WAIT_MILLIS} waits that long); bits 0-43 the node's counter or the parent's random number.
 */
final class MailboxPolicyTag {

    /** The bits a uid's own number may use. */
    static final long NUMBER_BITS = 44;
    static final long NUMBER_MASK = (1L << NUMBER_BITS) - 1;
    static final long MAX_WAIT_MILLIS = 0xFFFF;
    private static final int KIND_SHIFT = 60;
    private static final long KIND_FAIL_FAST = 1;
    private static final long KIND_WAIT = 2;

    private MailboxPolicyTag() {
    }

    /**
     * @param uid    a uid without a tag (bits 44-61 clear)
     * @param policy the policy the actor's {@code Props} name, or null for none
     * @return {@code uid} tagged with {@code policy}
     */
    static long tag(long uid, MailboxFullPolicy policy) {
        if ((uid & ~(NUMBER_MASK | 1L << 62)) != 0) {
            throw new IllegalStateException("uid=" + Long.toHexString(uid) + " overflows its " + NUMBER_BITS
                    + " bits");
        }
        return switch (policy) {
            case null -> uid;
            case MailboxFullPolicy.FailFast f -> uid | KIND_FAIL_FAST << KIND_SHIFT;
            case MailboxFullPolicy.WaitThenDeadLetter w -> uid | KIND_WAIT << KIND_SHIFT
                    | Math.min(MAX_WAIT_MILLIS, ceilMillis(w.timeout())) << NUMBER_BITS;
        };
    }

    /** @return the policy tagged in {@code uid}, or {@code fallback} if it has none */
    static MailboxFullPolicy of(long uid, MailboxFullPolicy fallback) {
        long kind = uid >>> KIND_SHIFT & 3;
        if (kind == KIND_FAIL_FAST) {
            return MailboxFullPolicy.failFast();
        }
        if (kind == KIND_WAIT) {
            return MailboxFullPolicy.waitUpTo(Duration.ofMillis(uid >>> NUMBER_BITS & MAX_WAIT_MILLIS));
        }
        return fallback;
    }

    private static long ceilMillis(Duration timeout) {
        long millis = timeout.toMillis();
        return timeout.minusMillis(millis).isZero() ? millis : millis + 1;
    }
}
