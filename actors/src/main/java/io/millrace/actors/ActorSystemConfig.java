package io.millrace.actors;

import io.millrace.shm.ShmDirectory;
import io.millrace.shm.WaitStrategy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link ActorSystem}; start from {@link #defaults()} and change with the {@code with*} methods.
 * Every value is validated when the record is made, and a wrong one is named ({@code name=value}).
 *
 * @param baseDirectory      the shared-memory base directory of the host's nodes: the system's node region,
 *                           the shared type registry and receptionist table live there (opened with
 *                           {@link ShmDirectory#at})
 * @param dispatcherThreads  lane threads that run the actors, at least 1 (default: the number of cores)
 * @param mailboxCapacity    messages each lane's queue holds, a power of two, at least 2 (default 8192)
 * @param waitStrategy       how idle lanes and tellers waiting for room wait (default
 *                           {@link WaitStrategy#blocking()}: sleep until woken)
 * @param mailboxFullPolicy  what a tell does when its lane queue is full, unless the actor's {@link Props} say
 *                           otherwise (default: wait up to 1 s, then dead-letter)
 * @param deadLetterLogLimit dead letters logged per second, the rest summarised; 0 logs none (default 10)
 * @param terminateTimeout   how long {@link ActorSystem#close()} waits for termination, positive (default 10 s)
 * @param laneRingBytes      bytes of each lane's shared-memory mailbox ring, which carries the messages of other
 *                           nodes: a power of two from {@value #MIN_LANE_RING_BYTES} to {@value #MAX_LANE_RING_BYTES}
 *                           (default 1 MiB); a message longer than an eighth of it travels in fragments
 * @param maxMessageBytes    the longest encoded message sent to another node, from 1 to
 *                           {@value #MAX_MESSAGE_BYTES_LIMIT} (default 64 MiB); a longer one is refused at tell
 */
public record ActorSystemConfig(Path baseDirectory, int dispatcherThreads, int mailboxCapacity,
                                WaitStrategy waitStrategy, MailboxFullPolicy mailboxFullPolicy,
                                int deadLetterLogLimit, Duration terminateTimeout, int laneRingBytes,
                                int maxMessageBytes) {

    /** The largest lane capacity (2^24 messages). */
    public static final int MAX_MAILBOX_CAPACITY = 1 << 24;
    /** The smallest lane ring (64 KiB). */
    public static final int MIN_LANE_RING_BYTES = 1 << 16;
    /** The largest lane ring (256 MiB). */
    public static final int MAX_LANE_RING_BYTES = 1 << 28;
    /** The largest {@code maxMessageBytes} (1 GiB). */
    public static final int MAX_MESSAGE_BYTES_LIMIT = 1 << 30;

    public ActorSystemConfig {
        Objects.requireNonNull(baseDirectory, "baseDirectory");
        Objects.requireNonNull(waitStrategy, "waitStrategy");
        Objects.requireNonNull(mailboxFullPolicy, "mailboxFullPolicy");
        Objects.requireNonNull(terminateTimeout, "terminateTimeout");
        if (dispatcherThreads < 1) {
            throw new IllegalArgumentException("dispatcherThreads=" + dispatcherThreads + " must be at least 1");
        }
        if (mailboxCapacity < 2 || mailboxCapacity > MAX_MAILBOX_CAPACITY || Integer.bitCount(mailboxCapacity) != 1) {
            throw new IllegalArgumentException("mailboxCapacity=" + mailboxCapacity
                    + " must be a power of two from 2 to " + MAX_MAILBOX_CAPACITY);
        }
        if (deadLetterLogLimit < 0) {
            throw new IllegalArgumentException("deadLetterLogLimit=" + deadLetterLogLimit + " must not be negative");
        }
        if (terminateTimeout.isNegative() || terminateTimeout.isZero()) {
            throw new IllegalArgumentException("terminateTimeout=" + terminateTimeout + " must be positive");
        }
        if (laneRingBytes < MIN_LANE_RING_BYTES || laneRingBytes > MAX_LANE_RING_BYTES
                || Integer.bitCount(laneRingBytes) != 1) {
            throw new IllegalArgumentException("laneRingBytes=" + laneRingBytes + " must be a power of two from "
                    + MIN_LANE_RING_BYTES + " to " + MAX_LANE_RING_BYTES);
        }
        if (maxMessageBytes < 1 || maxMessageBytes > MAX_MESSAGE_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxMessageBytes=" + maxMessageBytes + " must be from 1 to "
                    + MAX_MESSAGE_BYTES_LIMIT);
        }
    }

    /** The defaults (see the record's components). */
    public static ActorSystemConfig defaults() {
        return new ActorSystemConfig(ShmDirectory.defaultPath(), Math.max(1, Runtime.getRuntime().availableProcessors()),
                8192, WaitStrategy.blocking(), MailboxFullPolicy.waitUpTo(Duration.ofSeconds(1)), 10,
                Duration.ofSeconds(10), 1 << 20, 64 << 20);
    }

    /** This config with another {@code baseDirectory}. */
    public ActorSystemConfig withBaseDirectory(Path value) {
        return new ActorSystemConfig(value, dispatcherThreads, mailboxCapacity, waitStrategy, mailboxFullPolicy,
                deadLetterLogLimit, terminateTimeout, laneRingBytes, maxMessageBytes);
    }

    /** This config with another {@code dispatcherThreads}. */
    public ActorSystemConfig withDispatcherThreads(int value) {
        return new ActorSystemConfig(baseDirectory, value, mailboxCapacity, waitStrategy, mailboxFullPolicy,
                deadLetterLogLimit, terminateTimeout, laneRingBytes, maxMessageBytes);
    }

    /** This config with another {@code mailboxCapacity}. */
    public ActorSystemConfig withMailboxCapacity(int value) {
        return new ActorSystemConfig(baseDirectory, dispatcherThreads, value, waitStrategy, mailboxFullPolicy,
                deadLetterLogLimit, terminateTimeout, laneRingBytes, maxMessageBytes);
    }

    /** This config with another {@code waitStrategy}. */
    public ActorSystemConfig withWaitStrategy(WaitStrategy value) {
        return new ActorSystemConfig(baseDirectory, dispatcherThreads, mailboxCapacity, value, mailboxFullPolicy,
                deadLetterLogLimit, terminateTimeout, laneRingBytes, maxMessageBytes);
    }

    /** This config with another {@code mailboxFullPolicy}. */
    public ActorSystemConfig withMailboxFullPolicy(MailboxFullPolicy value) {
        return new ActorSystemConfig(baseDirectory, dispatcherThreads, mailboxCapacity, waitStrategy, value,
                deadLetterLogLimit, terminateTimeout, laneRingBytes, maxMessageBytes);
    }

    /** This config with another {@code deadLetterLogLimit}. */
    public ActorSystemConfig withDeadLetterLogLimit(int value) {
        return new ActorSystemConfig(baseDirectory, dispatcherThreads, mailboxCapacity, waitStrategy,
                mailboxFullPolicy, value, terminateTimeout, laneRingBytes, maxMessageBytes);
    }

    /** This config with another {@code terminateTimeout}. */
    public ActorSystemConfig withTerminateTimeout(Duration value) {
        return new ActorSystemConfig(baseDirectory, dispatcherThreads, mailboxCapacity, waitStrategy,
                mailboxFullPolicy, deadLetterLogLimit, value, laneRingBytes, maxMessageBytes);
    }

    /** This config with another {@code laneRingBytes}. */
    public ActorSystemConfig withLaneRingBytes(int value) {
        return new ActorSystemConfig(baseDirectory, dispatcherThreads, mailboxCapacity, waitStrategy,
                mailboxFullPolicy, deadLetterLogLimit, terminateTimeout, value, maxMessageBytes);
    }

    /** This config with another {@code maxMessageBytes}. */
    public ActorSystemConfig withMaxMessageBytes(int value) {
        return new ActorSystemConfig(baseDirectory, dispatcherThreads, mailboxCapacity, waitStrategy,
                mailboxFullPolicy, deadLetterLogLimit, terminateTimeout, laneRingBytes, value);
    }
}
