package io.millrace.reactive;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * An actor that consumes an {@link ActorSink}: it records what it gets, acks each element at once (or, from the
 * {@code holdFrom}th on, only at {@link Release}), runs {@code onElement} before acking, fails on {@code failOn}.
 */
final class SinkProbe {
    enum Ack { ACK }

    sealed interface Msg permits Init, Element, Done, Failed, Release, Stop {
    }

    record Init(ActorRef<Ack> ack) implements Msg {
    }

    record Element(ActorRef<Ack> ack, Object value) implements Msg {
    }

    record Done() implements Msg {
    }

    record Failed(Throwable error) implements Msg {
    }

    /** Acks the held elements, and every later one at once. */
    record Release() implements Msg {
    }

    record Stop() implements Msg {
    }

    private final List<Object> received = new ArrayList<>();
    final CompletableFuture<Void> completed = new CompletableFuture<>();
    final CompletableFuture<Throwable> failed = new CompletableFuture<>();
    final CompletableFuture<Void> initialized = new CompletableFuture<>();
    private final int holdFrom;
    private final Object failOn;
    private final IntConsumer onElement;
    private int acked;

    /**
     * @param holdFrom  elements from this index on are acked only at {@link Release}
     * @param failOn    the element whose handling throws (null: none)
     * @param onElement gets the index of each element before it is acked, on the actor's thread
     */
    SinkProbe(int holdFrom, Object failOn, IntConsumer onElement) {
        this.holdFrom = holdFrom;
        this.failOn = failOn;
        this.onElement = onElement;
    }

    SinkProbe() {
        this(Integer.MAX_VALUE, null, i -> { });
    }

    Behavior<Msg> behavior() {
        List<ActorRef<Ack>> held = new ArrayList<>();
        boolean[] released = {false};
        return Behaviors.receiveMessage(msg -> {
            switch (msg) {
                case Init init -> {
                    init.ack().tell(Ack.ACK);
                    initialized.complete(null);
                }
                case Element e -> {
                    int index;
                    synchronized (this) {
                        index = received.size();
                        received.add(e.value());
                        notifyAll();
                    }
                    if (e.value().equals(failOn)) {
                        throw new IllegalStateException("the probe fails on " + failOn);
                    }
                    onElement.accept(index);
                    if (index >= holdFrom && !released[0]) {
                        held.add(e.ack());
                    } else {
                        ack(e.ack());
                    }
                }
                case Done d -> completed.complete(null);
                case Failed f -> failed.complete(f.error());
                case Release r -> {
                    released[0] = true;
                    held.forEach(this::ack);
                    held.clear();
                }
                case Stop s -> {
                    return Behaviors.stopped();
                }
            }
            return Behaviors.same();
        });
    }

    private void ack(ActorRef<Ack> ack) {
        synchronized (this) {
            acked++;
        }
        ack.tell(Ack.ACK);
    }

    /** A sink for the probe's actor {@code ref} with {@code window}. */
    static <T> ActorSink<T> sink(ActorSystem<?> system, ActorRef<Msg> ref, int window) {
        return ActorSink.<T, Msg, Ack>actorRefWithBackpressure(system, ref, Element::new, Init::new, Ack.ACK,
                new Done(), Failed::new, window);
    }

    /** The elements acked so far. */
    synchronized int acked() {
        return acked;
    }

    synchronized List<Object> received() {
        return List.copyOf(received);
    }

    /** Waits until {@code n} elements have arrived; fails naming what did after {@code timeout}. */
    synchronized List<Object> awaitReceived(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("probe got " + received.size() + " of " + n + " elements: " + received);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return List.copyOf(received);
    }
}
