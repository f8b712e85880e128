package io.millrace.reactive;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.AskPattern;
import io.millrace.shm.ShmDirectory;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reactive streams across processes: a {@link Flux} published in one JVM is subscribed to as a {@code Flux} in any
 * JVM of the host that shares the base directory, with backpressure, cancellation and errors carried across.
 *
 * <pre>{@code
 * // process A
 * try (Publication p = Streams.publish("ticks", String.class, Flux.interval(ofMillis(10)).map(i -> "tick " + i))) {
 *     ...
 * }
 * // process B
 * Streams.flux("ticks", String.class).take(5).doOnNext(System.out::println).blockLast();
 * }</pre>
 *
 * <ul>
 *   <li>Every subscription is a stream of its own (cold, unicast): the publisher subscribes to its source once per
 *   subscriber, so {@code retry()} and re-subscription behave as usual.</li>
 *   <li>The source is asked for exactly what the subscriber requested, at most {@link StreamOptions#prefetch()}
 *   elements ahead of what has arrived; a slow subscriber holds the source back at the ring's bound.</li>
 *   <li>Cancelling cancels the source in the publisher's process. An error there arrives as a
 *   {@link RemoteException}; the publisher's death as a {@link StreamException} ({@code PUBLISHER_DIED}, its pid
 *   named) within milliseconds; a subscriber's death cancels the source.</li>
 *   <li>Signals reach the subscriber on a receiving thread of the subscription, one at a time.</li>
 *   <li>Elements are encoded by the {@link ElementCodec} of their type ({@link ElementCodecs}): {@code byte[]},
 *   {@code MemorySegment}, {@code String}, registered codecs, and records, enums, sealed interfaces, boxes and lists
 *   through the actors' message codec; elements larger than one ring record are sent in fragments.</li>
 * </ul>
 */
public final class Streams {
    private Streams() {
    }

    /**
     * Publishes {@code source} under {@code name} in the default base directory.
     *
     * @param name        letters, digits, '.', '_', '-' (at most 60, no leading dot, not ending in two all-digit
     *                    components such as {@code .1.2}, which would read as a subscription of another stream)
     * @param elementType the type of the elements, whose codec encodes them
     * @param source      the stream; subscribed to once per subscriber
     * @return the handle that withdraws the name
     * @throws StreamException {@code ALREADY_PUBLISHED} when a live process publishes that name, {@code NO_CODEC}
     *                         when no codec is known for {@code elementType}
     *                         (with the class and field that the actors' message codec cannot carry, its
     *                         {@code UnsupportedMessageException} the cause)
     */
    public static <T> Publication publish(String name, Class<T> elementType, Publisher<? extends T> source) {
        return publish(name, elementType, source, ShmDirectory.defaultDirectory());
    }

    /**
     * As {@link #publish(String, Class, Publisher)}, in {@code directory}.
     *
     * @param directory the base directory the subscribers share
     */
    public static <T> Publication publish(String name, Class<T> elementType, Publisher<? extends T> source,
                                          ShmDirectory directory) {
        StreamDescriptor.checkName(name);
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(directory, "directory");
        return new Export<>(name, elementType, source, directory);
    }

    /**
     * The stream published under {@code name} in the default base directory. Nothing happens until a subscription:
     * one that finds no such stream fails with {@code NOT_PUBLISHED} at once (see {@link StreamOptions#timeout()}
     * to wait), one whose stream has another element type with {@code TYPE_MISMATCH}, one whose publisher was killed
     * making the stream's region with {@code PUBLISHER_DIED} at once, one whose region is still being made when the
     * timeout ends with the {@link io.millrace.shm.RegionException} ({@code TOO_SMALL}, {@code ATTACH_TIMEOUT}).
     *
     * @throws StreamException {@code NO_CODEC} when no codec is known for {@code elementType}
     *                         (with the class and field that the actors' message codec cannot carry, its
     *                         {@code UnsupportedMessageException} the cause)
     */
    public static <T> Flux<T> flux(String name, Class<T> elementType) {
        return flux(name, elementType, StreamOptions.defaults());
    }

    /** As {@link #flux(String, Class)}, in {@code directory}. */
    public static <T> Flux<T> flux(String name, Class<T> elementType, ShmDirectory directory) {
        return flux(name, elementType, StreamOptions.of(directory));
    }

    /** As {@link #flux(String, Class)}, with {@code options} (directory, timeout, prefetch, ring size). */
    public static <T> Flux<T> flux(String name, Class<T> elementType, StreamOptions options) {
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(options, "options");
        return new FluxImport<>(name, elementType, options);
    }

    /** The first element of the stream {@code name} (the rest is cancelled), or empty; see {@link #flux}. */
    public static <T> Mono<T> mono(String name, Class<T> elementType) {
        return flux(name, elementType).next();
    }

    /** As {@link #mono(String, Class)}, in {@code directory}. */
    public static <T> Mono<T> mono(String name, Class<T> elementType, ShmDirectory directory) {
        return flux(name, elementType, directory).next();
    }

    /** As {@link #mono(String, Class)}, with {@code options}. */
    public static <T> Mono<T> mono(String name, Class<T> elementType, StreamOptions options) {
        return flux(name, elementType, options).next();
    }

    /**
     * Removes the regions of stream {@code name} that processes which died left behind: the stream's region
     * ({@code stream.NAME}) and its subscriptions' regions, each only when no live process is attached to it (as
     * {@link ShmDirectory#cleanPlan()} judges). That is the case of a stream whose both sides died, which nobody
     * else would clean: one side's death alone is cleaned by the other side, and a live publisher or subscriber
     * removes its own regions in every ending, so a live side's regions are never touched. For a process that saw
     * both sides of a stream killed (the parent of killed workers, say).
     *
     * @param name      the stream's name, as given to {@link #publish}
     * @param directory the base directory the stream's processes share
     * @return the names of the region files removed, empty when none was left or its processes live
     * @throws IllegalArgumentException if {@code name} is not a valid stream name
     * @throws io.millrace.shm.RegionException {@code IO} if the directory cannot be read or a file removed
     */
    public static List<String> removeDeadRegions(String name, ShmDirectory directory) {
        StreamDescriptor.checkName(name);
        Objects.requireNonNull(directory, "directory");
        return StreamDescriptor.removeAbandoned(directory, name, true);
    }

    /**
     * {@link AskPattern#ask(ActorRef, Function, Duration, ActorSystem)} as a {@link Mono}: each subscription sends
     * one request (nothing is sent before), and the Mono emits the reply or fails as the ask does
     * ({@code AskTimeoutException} after {@code timeout}, {@code NodeGoneException} when the target's node dies,
     * {@code MailboxFullException} under a fail-fast policy).
     *
     * @param target         the actor asked, in this JVM or another
     * @param messageFactory makes the request from the reply-to ref
     * @param timeout        how long each ask waits for its reply, positive
     * @param system         the actor system that receives the reply
     * @return the reply
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public static <Req, Res> Mono<Res> ask(ActorRef<Req> target, Function<ActorRef<Res>, Req> messageFactory,
                                           Duration timeout, ActorSystem<?> system) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(messageFactory, "messageFactory");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(system, "system");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout=" + timeout + " must be positive");
        }
        return Mono.fromCompletionStage(() -> AskPattern.ask(target, messageFactory, timeout, system));
    }
}
