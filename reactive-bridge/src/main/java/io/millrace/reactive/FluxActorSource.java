package io.millrace.reactive;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;
import io.millrace.actors.PostStop;
import io.millrace.actors.Terminated;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

/** {@link ActorSource#actorRefWithBackpressure}: one actor of the system per subscription receives the elements. */
final class FluxActorSource<T, M> extends Flux<T> {
    private static final AtomicLong SERIAL = new AtomicLong();

    private final ActorSystem<?> system;
    private final ActorRef<M> ackTo;
    private final Function<ActorRef<T>, ? extends M> onInitMessage;
    private final Function<ActorRef<T>, ? extends M> ackMessage;
    private final Predicate<? super T> completionMatcher;
    private final Function<? super T, Optional<Throwable>> failureMatcher;

    FluxActorSource(ActorSystem<?> system, ActorRef<M> ackTo, Function<ActorRef<T>, ? extends M> onInitMessage,
                    Function<ActorRef<T>, ? extends M> ackMessage, Predicate<? super T> completionMatcher,
                    Function<? super T, Optional<Throwable>> failureMatcher) {
        this.system = system;
        this.ackTo = ackTo;
        this.onInitMessage = onInitMessage;
        this.ackMessage = ackMessage;
        this.completionMatcher = completionMatcher;
        this.failureMatcher = failureMatcher;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
        SourceSubscription<T, M> subscription = new SourceSubscription<>(this, actual);
        ActorRef<T> ref;
        try {
            ref = system.systemActorOf(subscription.behavior(), "actor-source-" + SERIAL.incrementAndGet());
        } catch (RuntimeException e) { // the system terminated
            Operators.error(actual, e);
            return;
        }
        subscription.ref = ref;
        actual.onSubscribe(subscription);
        if (!subscription.cancelled) {
            ackTo.tell(onInitMessage.apply(ref));
        }
    }

    @Override
    public String toString() {
        return "FluxActorSource[" + ackTo.path() + "]";
    }

    /**
     * One subscription. The ref's actor puts the element it receives into the one-element slot {@code pending}
     * ({@link #offer}); {@link #drain} (serialized by {@code wip}, on the actor's thread or a requesting one) moves it
     * downstream when {@code requested} allows, clears the slot, then acks. So an element that finds the slot full
     * was told before its predecessor's ack: a protocol error. Terminal states ({@code done}, {@code error}) are
     * written by the actor's thread (or a bad request's), {@code error} before {@code done}; {@code cancelled} by any.
     */
    static final class SourceSubscription<T, M> implements Subscription {
        private static final VarHandle REQUESTED;
        private static final VarHandle WIP;

        static {
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                REQUESTED = lookup.findVarHandle(SourceSubscription.class, "requested", long.class);
                WIP = lookup.findVarHandle(SourceSubscription.class, "wip", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final FluxActorSource<T, M> parent;
        private final CoreSubscriber<? super T> actual;
        volatile ActorRef<T> ref;
        private volatile T pending;
        private volatile boolean done;
        private volatile Throwable error;
        private volatile boolean cancelled;
        private boolean terminated; // by the draining thread only
        @SuppressWarnings("unused") // through REQUESTED
        private volatile long requested;
        @SuppressWarnings("unused") // through WIP
        private volatile int wip;

        SourceSubscription(FluxActorSource<T, M> parent, CoreSubscriber<? super T> actual) {
            this.parent = parent;
            this.actual = actual;
        }

        @SuppressWarnings("unchecked")
        Behavior<T> behavior() {
            Behavior<Object> behavior = Behaviors.setup(context -> {
                context.watch(parent.ackTo);
                return Behaviors.receive((ctx, message) -> {
                    if (message == Stop.STOP) {
                        return Behaviors.stopped();
                    }
                    offer((T) message);
                    return Behaviors.same();
                }, (ctx, signal) -> {
                    if (signal instanceof Terminated t && t.ref().equals(parent.ackTo)) {
                        fail(new IllegalStateException("ackTo=" + parent.ackTo.path()
                                + " stopped before it completed the stream"));
                    } else if (signal instanceof PostStop) {
                        fail(new IllegalStateException("the source's actor ref=" + ctx.getSelf().path()
                                + " stopped: its actor system terminated"));
                    }
                    return Behaviors.same();
                });
            });
            return (Behavior<T>) (Behavior<?>) behavior;
        }

        /** On the ref's actor thread: one element (or a completion or failure marker) from {@code ackTo}. */
        private void offer(T element) {
            if (done || cancelled) {
                return;
            }
            if (parent.completionMatcher.test(element)) {
                done = true;
            } else {
                Optional<Throwable> failure = parent.failureMatcher.apply(element);
                if (failure.isPresent()) {
                    fail(failure.get());
                    return;
                } else if (pending != null) {
                    fail(new IllegalStateException("ackTo=" + parent.ackTo.path() + " told element=" + element
                            + " before the ack of element=" + pending));
                    return;
                }
                pending = element;
            }
            drain();
        }

        private void fail(Throwable e) {
            if (!done && !cancelled) {
                error = e;
                done = true;
                drain();
            }
        }

        @Override
        public void request(long n) {
            if (n > 0) {
                long r;
                do {
                    r = (long) REQUESTED.getVolatile(this);
                } while (r != Long.MAX_VALUE && !REQUESTED.compareAndSet(this, r, Operators.addCap(r, n)));
                drain();
            } else {
                fail(new IllegalArgumentException("request(n) needs n > 0 (rule 3.9), was n=" + n));
            }
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                stopRef();
                drain();
            }
        }

        private void stopRef() {
            ref.tell((T) (Object) Stop.STOP);
        }

        private void drain() {
            if ((int) WIP.getAndAdd(this, 1) != 0) {
                return;
            }
            int missed = 1;
            do {
                while (!terminated) {
                    if (cancelled) {
                        pending = null;
                        break;
                    }
                    boolean d = done;
                    T element = pending;
                    if (d && error != null) {
                        pending = null;
                        terminated = true;
                        stopRef();
                        actual.onError(error);
                    } else if (element != null && (long) REQUESTED.getVolatile(this) != 0) {
                        if ((long) REQUESTED.getVolatile(this) != Long.MAX_VALUE) {
                            REQUESTED.getAndAdd(this, -1L);
                        }
                        pending = null;
                        actual.onNext(element);
                        parent.ackTo.tell(parent.ackMessage.apply(ref));
                    } else if (d && element == null) {
                        terminated = true;
                        stopRef();
                        actual.onComplete();
                    } else {
                        break;
                    }
                }
                missed = (int) WIP.getAndAdd(this, -missed) - missed;
            } while (missed != 0);
        }
    }

    /** Tells the ref's actor to stop (from this JVM only). */
    private enum Stop { STOP }
}
