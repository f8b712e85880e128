package io.millrace.reactive;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import reactor.core.publisher.Flux;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A {@link Flux} whose elements an actor tells into it, with backpressure to the actor (Pekko's
 * {@code ActorSource.actorRefWithBackpressure}): the actor sends one element, and the next once the stream acks
 * it, which it does when the element went downstream, so only as demand allows. Published with
 * {@link Streams#publish} (or named in a message by a {@link StreamRef}), it is consumed in another JVM with that
 * JVM's demand.
 *
 * <pre>{@code
 * sealed interface Cmd permits Ready, Next { }
 * record Ready(ActorRef<Tick> into) implements Cmd { }   // a subscriber is there: tell it the first element
 * record Next(ActorRef<Tick> into) implements Cmd { }    // the last element went downstream: tell the next
 * Flux<Tick> ticks = ActorSource.actorRefWithBackpressure(system, producer, Ready::new, Next::new,
 *         tick -> tick.last(), tick -> Optional.empty());
 * Streams.publish("ticks", Tick.class, ticks);
 * }</pre>
 *
 * <ol>
 *   <li>Each subscription has a ref of its own, an actor of the system (below {@code /system}): {@code ackTo} gets
 *   {@code onInitMessage(ref)} once the subscriber is there, and may tell {@code ref} one element.</li>
 *   <li>An element goes downstream when there is demand for it; then {@code ackTo} gets {@code ackMessage(ref)} and
 *   may tell the next. An element told before the previous one's ack fails the stream
 *   ({@link IllegalStateException}).</li>
 *   <li>An element that {@code completionMatcher} accepts completes the stream after the element before it (it is
 *   not emitted); one that {@code failureMatcher} maps to an error fails it at once.</li>
 *   <li>Cancelling stops {@code ref}: an actor watching it gets {@code Terminated}. {@code ackTo} stopping (or its
 *   node going) fails the stream with {@link IllegalStateException}, as does the system's termination.</li>
 * </ol>
 * Elements reach the subscriber on the ref's actor thread or on the thread that requested (a publication's data
 * ring that is full holds that thread until there is room); told from another JVM they must be messages the
 * actors' codec carries.
 */
public final class ActorSource {
    private ActorSource() {
    }

    /**
     * A stream fed by {@code ackTo}, one element per ack (see the class comment).
     *
     * @param system            the system whose actor receives the elements (in an actor: {@code context.getSystem()})
     * @param ackTo             the actor that tells the elements
     * @param onInitMessage     makes the message that tells {@code ackTo} a subscriber is there and where to send
     * @param ackMessage        makes the message that tells {@code ackTo} to send the next element
     * @param completionMatcher true for the element that completes the stream
     * @param failureMatcher    the error for an element that fails the stream, else empty
     * @param <T>               the elements
     * @param <M>               {@code ackTo}'s messages
     * @return a cold stream: each subscription has its own ref and init message
     */
    public static <T, M> Flux<T> actorRefWithBackpressure(ActorSystem<?> system, ActorRef<M> ackTo,
                                                          Function<ActorRef<T>, ? extends M> onInitMessage,
                                                          Function<ActorRef<T>, ? extends M> ackMessage,
                                                          Predicate<? super T> completionMatcher,
                                                          Function<? super T, Optional<Throwable>> failureMatcher) {
        return new FluxActorSource<>(Objects.requireNonNull(system, "system"), Objects.requireNonNull(ackTo, "ackTo"),
                Objects.requireNonNull(onInitMessage, "onInitMessage"),
                Objects.requireNonNull(ackMessage, "ackMessage"),
                Objects.requireNonNull(completionMatcher, "completionMatcher"),
                Objects.requireNonNull(failureMatcher, "failureMatcher"));
    }
}
