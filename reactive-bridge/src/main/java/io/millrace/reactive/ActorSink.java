package io.millrace.reactive;

import io.millrace.actors.ActorContext;
import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;
import io.millrace.actors.PostStop;
import io.millrace.actors.Signal;
import io.millrace.actors.Terminated;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Operators;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A subscriber that hands a stream's elements to an actor as messages, with backpressure from the actor (Pekko's
 * {@code ActorSink.actorRefWithBackpressure}): the source is asked for more only as the actor acknowledges what it
 * got, so at most {@code window} elements are ever outstanding (requested but not acknowledged), whether the source
 * is in this JVM or imported from another ({@link Streams#flux}, {@link StreamRef#flux()}).
 *
 * <pre>{@code
 * sealed interface Msg permits Start, Element, Done, Failed { }
 * record Start(ActorRef<Ack> ack) implements Msg { }
 * record Element(ActorRef<Ack> ack, Order order) implements Msg { }
 * ...
 * orders.flux().subscribe(ActorSink.actorRefWithBackpressure(context.getSystem(), context.getSelf(),
 *         Element::new, Start::new, Ack.INSTANCE, new Done(), Failed::new));
 * // in the actor: handle the message, then ack.tell(Ack.INSTANCE)
 * }</pre>
 *
 * <ol>
 *   <li>On subscription the actor gets {@code onInitMessage(ackRef)}. Its first {@code ackMessage} on
 *   {@code ackRef} requests {@code window} elements.</li>
 *   <li>Each element arrives as {@code messageAdapter(ackRef, element)}, in order. Every acknowledged element is
 *   replaced: demand goes out once 75 % of the window is acknowledged (as Reactor's {@code limitRate}), or after
 *   each one for a window of 1 (one element at a time). Acks beyond the elements delivered are ignored, as are other
 *   messages on {@code ackRef}.</li>
 *   <li>Completion arrives as {@code onCompleteMessage} and an error as {@code onFailureMessage(error)} (from another
 *   JVM a {@link RemoteException}), after the elements and without waiting for their acks.</li>
 *   <li>The actor stopping (or failing) cancels the subscription, in the source's JVM too; so does
 *   {@link #dispose()}, and the actor system's termination. An actor restarted by its supervisor keeps the
 *   subscription, but the element whose handling threw is not acked: ack it from the restart (one ref acks all), or
 *   the window is one smaller.</li>
 * </ol>
 * The acks are received by a small actor of the system (below {@code /system}, one per subscription), which
 * watches the target. A sink subscribes once; make one per subscription. Across nodes: a target on another node is
 * watched through its node, so its stop alone (its node alive) does not cancel; keep the sink beside the actor.
 *
 * @param <T> the elements
 */
public final class ActorSink<T> implements CoreSubscriber<T>, Disposable {
    /** Elements outstanding at most by default (Pekko's default input buffer). */
    public static final int DEFAULT_WINDOW = 16;

    private static final AtomicLong SERIAL = new AtomicLong();
    private static final VarHandle SUBSCRIPTION;

    static {
        try {
            SUBSCRIPTION = MethodHandles.lookup().findVarHandle(ActorSink.class, "subscription", Subscription.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ActorSystem<?> system;
    private final ActorRef<Object> target;
    private final BiFunction<ActorRef<Object>, ? super T, ?> messageAdapter;
    private final Function<ActorRef<Object>, ?> onInitMessage;
    private final Object ackMessage;
    private final Object onCompleteMessage;
    private final Function<Throwable, ?> onFailureMessage;
    private final int window;
    private final int limit;
    /** Elements told to the target: an ack beyond them is ignored. */
    private final AtomicLong delivered = new AtomicLong();

    @SuppressWarnings("unused") // through SUBSCRIPTION
    private volatile Subscription subscription;
    private volatile ActorRef<Object> acks;
    /** Cancelled, disposed or terminated: nothing more goes to the target. */
    private volatile boolean done;
    /**
     * Claimed once by whichever stops the ack receiver: the sink (it tells it {@link Stop}) or the receiver itself
     * (its target stopped, or its system terminates); so {@code Stop} goes to a live receiver only, not to the dead
     * letters, and a receiver whose target stopped after the sink claimed it waits for the {@code Stop} to come.
     */
    private final AtomicBoolean receiverStopping = new AtomicBoolean();

    @SuppressWarnings("unchecked")
    private <M, A> ActorSink(ActorSystem<?> system, ActorRef<M> target,
                             BiFunction<ActorRef<A>, ? super T, ? extends M> messageAdapter,
                             Function<ActorRef<A>, ? extends M> onInitMessage, A ackMessage, M onCompleteMessage,
                             Function<Throwable, ? extends M> onFailureMessage, int window) {
        this.system = Objects.requireNonNull(system, "system");
        this.target = (ActorRef<Object>) Objects.requireNonNull(target, "ref");
        this.messageAdapter = (BiFunction<ActorRef<Object>, ? super T, ?>) (BiFunction<?, ?, ?>)
                Objects.requireNonNull(messageAdapter, "messageAdapter");
        this.onInitMessage = (Function<ActorRef<Object>, ?>) (Function<?, ?>)
                Objects.requireNonNull(onInitMessage, "onInitMessage");
        this.ackMessage = Objects.requireNonNull(ackMessage, "ackMessage");
        this.onCompleteMessage = Objects.requireNonNull(onCompleteMessage, "onCompleteMessage");
        this.onFailureMessage = Objects.requireNonNull(onFailureMessage, "onFailureMessage");
        if (window < 1) {
            throw new IllegalArgumentException("window=" + window + " must be at least 1");
        }
        this.window = window;
        this.limit = window - (window >> 2);
    }

    /**
     * A sink for {@code ref} with a window of {@link #DEFAULT_WINDOW} elements.
     *
     * @see #actorRefWithBackpressure(ActorSystem, ActorRef, BiFunction, Function, Object, Object, Function, int)
     */
    public static <T, M, A> ActorSink<T> actorRefWithBackpressure(
            ActorSystem<?> system, ActorRef<M> ref, BiFunction<ActorRef<A>, ? super T, ? extends M> messageAdapter,
            Function<ActorRef<A>, ? extends M> onInitMessage, A ackMessage, M onCompleteMessage,
            Function<Throwable, ? extends M> onFailureMessage) {
        return new ActorSink<>(system, ref, messageAdapter, onInitMessage, ackMessage, onCompleteMessage,
                onFailureMessage, DEFAULT_WINDOW);
    }

    /**
     * A sink that tells {@code ref} the elements of the stream it is subscribed to, with backpressure from
     * {@code ref}'s acks (see the class comment).
     *
     * @param system            the system whose actor receives the acks (in an actor: {@code context.getSystem()})
     * @param ref               the actor that gets the elements
     * @param messageAdapter    makes the message for an element, given the ref to ack it on
     * @param onInitMessage     makes the first message, given the ref to ack on; its ack starts the stream
     * @param ackMessage        what the actor tells the ack ref after each message (compared with {@code equals})
     * @param onCompleteMessage told when the stream completes
     * @param onFailureMessage  makes the message told when the stream fails
     * @param window            elements outstanding (requested and not acknowledged) at most, at least 1
     * @param <T>               the elements
     * @param <M>               the actor's messages
     * @param <A>               the ack's type
     * @return a subscriber for one subscription
     * @throws IllegalArgumentException if {@code window} is below 1
     */
    public static <T, M, A> ActorSink<T> actorRefWithBackpressure(
            ActorSystem<?> system, ActorRef<M> ref, BiFunction<ActorRef<A>, ? super T, ? extends M> messageAdapter,
            Function<ActorRef<A>, ? extends M> onInitMessage, A ackMessage, M onCompleteMessage,
            Function<Throwable, ? extends M> onFailureMessage, int window) {
        return new ActorSink<>(system, ref, messageAdapter, onInitMessage, ackMessage, onCompleteMessage,
                onFailureMessage, window);
    }

    /** @return the elements outstanding at most */
    public int window() {
        return window;
    }

    @Override
    public void onSubscribe(Subscription s) {
        Objects.requireNonNull(s, "subscription"); // rule 2.13
        if (!SUBSCRIPTION.compareAndSet(this, (Subscription) null, s)) {
            s.cancel();
            if (SUBSCRIPTION.getVolatile(this) != Operators.cancelledSubscription()) {
                Operators.reportSubscriptionSet(); // a second subscription (rule 2.5)
            }
            return;
        }
        if (done) {
            s.cancel();
            return;
        }
        ActorRef<Object> receiver;
        try {
            receiver = system.systemActorOf(new AckReceiver(s).behavior(),
                    "actor-sink-" + SERIAL.incrementAndGet());
        } catch (RuntimeException e) { // the system terminated
            s.cancel();
            done = true;
            tellTarget(onFailureMessage.apply(e));
            return;
        }
        acks = receiver;
        tellTarget(onInitMessage.apply(receiver));
    }

    @Override
    public void onNext(T element) {
        Objects.requireNonNull(element, "element"); // rule 2.13
        if (done) {
            return;
        }
        try {
            Object message = messageAdapter.apply(acks, element);
            delivered.incrementAndGet();
            target.tell(message);
        } catch (RuntimeException e) { // the adapter threw, or the tell failed (a full mailbox that fails fast)
            dispose();
            tellTarget(onFailureMessage.apply(e));
        }
    }

    @Override
    public void onError(Throwable error) {
        Objects.requireNonNull(error, "error"); // rule 2.13
        if (!done) {
            done = true;
            tellTarget(onFailureMessage.apply(error));
            stopReceiver();
        }
    }

    @Override
    public void onComplete() {
        if (!done) {
            done = true;
            tellTarget(onCompleteMessage);
            stopReceiver();
        }
    }

    /** Cancels the subscription; the actor gets nothing more (no completion message either). Idempotent. */
    @Override
    public void dispose() {
        cancelUpstream();
        stopReceiver();
    }

    private void cancelUpstream() {
        done = true;
        Subscription s = (Subscription) SUBSCRIPTION.getAndSet(this, Operators.cancelledSubscription());
        if (s != null && s != Operators.cancelledSubscription()) {
            s.cancel();
        }
    }

    @Override
    public boolean isDisposed() {
        return done;
    }

    private void tellTarget(Object message) {
        try {
            target.tell(message);
        } catch (RuntimeException e) {
            system.log().warn("actor sink could not tell ref={} message={}: {}", target.path(), message, e.toString());
        }
    }

    private void stopReceiver() {
        ActorRef<Object> receiver = acks;
        if (receiver != null && receiverStopping.compareAndSet(false, true)) {
            receiver.tell(Stop.STOP);
        }
    }

    /** Tells the ack receiver to stop (from this JVM only). */
    private enum Stop { STOP }

    /**
     * The actor that receives the acks and turns them into demand, on its own thread: the first ack (of the init
     * message) requests the window; then each {@code limit} acks of delivered elements request {@code limit} more.
     * It watches the target, whose stop cancels the subscription.
     */
    private final class AckReceiver {
        private final Subscription upstream;
        private boolean started;
        private long acked;
        private int sinceRequest;

        AckReceiver(Subscription upstream) {
            this.upstream = upstream;
        }

        Behavior<Object> behavior() {
            return Behaviors.setup(context -> {
                context.watch(target);
                return Behaviors.receive((ctx, message) -> onMessage(ctx, message), this::onSignal);
            });
        }

        private Behavior<Object> onMessage(ActorContext<Object> context, Object message) {
            if (message == Stop.STOP) {
                return Behaviors.stopped();
            }
            if (!ackMessage.equals(message)) {
                context.getLog().debug("ignored message={}: not the ack of ref={}", message, target.path());
                return Behaviors.same();
            }
            if (done) {
                return Behaviors.same();
            }
            if (!started) {
                started = true;
                upstream.request(window);
            } else if (acked < delivered.get()) {
                acked++;
                if (++sinceRequest == limit) {
                    sinceRequest = 0;
                    upstream.request(limit);
                }
            }
            return Behaviors.same();
        }

        private Behavior<Object> onSignal(ActorContext<Object> context, Signal signal) {
            if (signal instanceof Terminated t && t.ref().equals(target)) {
                cancelUpstream();
                return receiverStopping.compareAndSet(false, true) ? Behaviors.stopped() : Behaviors.same();
            }
            if (signal instanceof PostStop) {
                receiverStopping.set(true);
                if (!done) { // the system terminates
                    cancelUpstream();
                }
            }
            return Behaviors.same();
        }
    }
}
