package io.millrace.actors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** An actor that queues what it receives, for tests to await with a timeout. */
final class TestProbe<T> {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final AtomicInteger COUNT = new AtomicInteger();

    private final LinkedBlockingQueue<T> received = new LinkedBlockingQueue<>();
    private final ActorRef<T> ref;

    private TestProbe(ActorSystem<?> system) {
        this.ref = system.systemActorOf(Behaviors.<T>receiveMessage(message -> {
            received.add(message);
            return Behaviors.same();
        }), "probe-" + COUNT.incrementAndGet());
    }

    static <T> TestProbe<T> create(ActorSystem<?> system) {
        return new TestProbe<>(system);
    }

    ActorRef<T> ref() {
        return ref;
    }

    T expectMessage() {
        return expectMessage(TIMEOUT);
    }

    T expectMessage(Duration timeout) {
        try {
            T message = received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (message == null) {
                fail("no message within " + timeout + " at probe " + ref.path());
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    T expectMessage(T expected) {
        T message = expectMessage();
        assertThat(message).isEqualTo(expected);
        return message;
    }

    <M> M expectMessageClass(Class<M> type) {
        T message = expectMessage();
        assertThat(message).isInstanceOf(type);
        return type.cast(message);
    }

    List<T> receiveMessages(int count) {
        List<T> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(expectMessage());
        }
        return messages;
    }

    /** What was queued so far, taken out of the probe (for negative checks after a positive sync point). */
    List<T> receiveMessagesSoFar() {
        List<T> messages = new ArrayList<>();
        received.drainTo(messages);
        return messages;
    }

    /** For negative checks only, after a positive sync point: nothing queued right now. */
    void expectNoMessageQueued() {
        assertThat(received.peek()).as("unexpected message at probe " + ref.path()).isNull();
    }
}
