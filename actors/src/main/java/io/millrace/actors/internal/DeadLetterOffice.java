package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;
import io.millrace.actors.DeadLetter;
import io.millrace.actors.DeadLetters;
import org.slf4j.Logger;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Counts dead letters, hands them to listeners, and logs at most {@code logLimit} per second: the rest of a second
 * are counted and summarised in one line when the next dead letter comes (or the system stops).
 */
final class DeadLetterOffice implements DeadLetters {

    private static final long WINDOW_NANOS = 1_000_000_000L;

    private final Logger log;
    private final int logLimit;
    private final AtomicLong count = new AtomicLong();
    private final CopyOnWriteArrayList<Consumer<DeadLetter>> listeners = new CopyOnWriteArrayList<>();
    /** Also counts each dead letter in the node's info block, once the region exists. */
    private volatile Runnable sharedCount = () -> { };
    private long windowStart = System.nanoTime();
    private int loggedInWindow;
    private long suppressed;

    /** Counts dead letters in the node's info block too (for {@code millrace stat}). */
    void countIn(Runnable counter) {
        sharedCount = java.util.Objects.requireNonNull(counter, "counter");
    }

    DeadLetterOffice(Logger log, int logLimit) {
        this.log = log;
        this.logLimit = logLimit;
    }

    void publish(Object message, ActorPath recipient, DeadLetter.Reason reason) {
        count.incrementAndGet();
        sharedCount.run();
        logRateLimited(message, recipient, reason);
        if (listeners.isEmpty()) {
            return;
        }
        DeadLetter letter = new DeadLetter(message, recipient, reason);
        for (Consumer<DeadLetter> listener : listeners) {
            try {
                listener.accept(letter);
            } catch (RuntimeException e) {
                log.warn("dead letter listener={} threw", listener, e);
            }
        }
    }

    private void logRateLimited(Object message, ActorPath recipient, DeadLetter.Reason reason) {
        long summary;
        boolean logThis;
        synchronized (this) {
            long now = System.nanoTime();
            summary = 0;
            if (now - windowStart >= WINDOW_NANOS) {
                summary = suppressed;
                suppressed = 0;
                loggedInWindow = 0;
                windowStart = now;
            }
            logThis = loggedInWindow < logLimit;
            if (logThis) {
                loggedInWindow++;
            } else {
                suppressed++;
            }
        }
        if (summary > 0) {
            log.info("{} more dead letters were not logged (at most {} per second)", summary, logLimit);
        }
        if (logThis) {
            log.info("dead letter: message of class={} to recipient={} ({})", message.getClass().getName(),
                    recipient, reason);
        }
    }

    /** Logs the summary of the last window, if any (at termination). */
    void flush() {
        long summary;
        synchronized (this) {
            summary = suppressed;
            suppressed = 0;
        }
        if (summary > 0) {
            log.info("{} more dead letters were not logged (at most {} per second)", summary, logLimit);
        }
    }

    @Override
    public long count() {
        return count.get();
    }

    @Override
    public AutoCloseable subscribe(Consumer<DeadLetter> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
