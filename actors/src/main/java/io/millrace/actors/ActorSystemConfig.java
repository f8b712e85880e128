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
 * @param baseDirectory      the shared-memory base directory of the host's nodes (not used by the in-process
 *                           runtime yet; opened with {@link ShmDirectory#at} once nodes talk)
 * @param dispatcherThreads  lane threads that run the actors, at least 1 (default: the number of cores)
 * @param mailboxCapacity    messages each lane's queue holds, a power of two, at least 2 (default 8192)
 * @param waitStrategy       how idle lanes and tellers waiting for room wait (default
 *                           {@link WaitStrategy#blocking()}: sleep until woken)
 * @param mailboxFullPolicy  what a tell does when its lane queue is full, unless the actor's {@link Props} say
 *                           otherwise (default: wait up to 1 s, then dead-letter)
 * @param deadLetterLogLimit dead letters logged per second, the rest summarised; 0 logs none (default 10)
 * @param terminateTimeout   how long {@link ActorSystem#close()} waits for termination, positive (default 10 s)
 */
public record ActorSystemConfig(Path baseDirectory, int dispatcherThreads, int mailboxCapacity,
                                WaitStrategy waitStrategy, MailboxFullPolicy mailboxFullPolicy,
                                int deadLetterLogLimit, Duration terminateTimeout) {

    /** The largest lane capacity (2^24 messages). */
    public static final int MAX_MAILBOX_CAPACITY = 1 << 24;

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
    }

    /** The defaults (see the record's components). */
    public static ActorSystemConfig defaults() {
        return new ActorSystemConfig(ShmDirectory.defaultPath(), Math.max(1, Runtime.getRuntime().availableProcessors()),
                8192, WaitStrategy.blocking(), MailboxFullPolicy.waitUpTo(Duration.ofSeconds(1)), 10,
                Duration.ofSeconds(10));
    }

    /** This config with another {@code baseDirectory}. */
    public ActorSystemConfig withBaseDirectory(Path value) {
        return new ActorSystemConfig(value, dispatcherThreads, mailboxCapacity, waitStrategy, mailboxFullPolicy,
                deadLetterLogLimit, terminateTimeout);
    }

    /** This config with another {@code dispatcherThreads}. */
    public ActorSystemConfig withDispatcherThreads(int value) {
        return new ActorSystemConfig(baseDirectory, value, mailboxCapacity, waitStrategy, mailboxFullPolicy,
                deadLetterLogLimit, terminateTimeout);
    }

    /** This config with another {@code mailboxCapacity}. */
    public ActorSystemConfig withMailboxCapacity(int value) {
        return new ActorSystemConfig(baseDirectory, dispatcherThreads, value, waitStrategy, mailboxFullPolicy,
                deadLetterLogLimit, terminateTimeout);
    }

    /** This config with another {@code waitStrategy}. */
    public ActorSystemConfig withWaitStrategy(WaitStrategy value) {
        return new ActorSystemConfig(baseDirectory, dispatcherThreads, mailboxCapacity, value, mailboxFullPolicy,
                deadLetterLogLimit, terminateTimeout);
    }

    /** This config with another {@code mailboxFullPolicy}. */
    public ActorSystemConfig withMailboxFullPolicy(MailboxFullPolicy value) {
        return new ActorSystemConfig(baseDirectory, dispatcherThreads, mailboxCapacity, waitStrategy, value,
                deadLetterLogLimit, terminateTimeout);
    }

    /** This config with another {@code deadLetterLogLimit}. */
    public ActorSystemConfig withDeadLetterLogLimit(int value) {
        return new ActorSystemConfig(baseDirectory, dispatcherThreads, mailboxCapacity, waitStrategy,
                mailboxFullPolicy, value, terminateTimeout);
    }

    /** This config with another {@code terminateTimeout}. */
    public ActorSystemConfig withTerminateTimeout(Duration value) {
        return new ActorSystemConfig(baseDirectory, dispatcherThreads, mailboxCapacity, waitStrategy,
                mailboxFullPolicy, deadLetterLogLimit, value);
    }
}
