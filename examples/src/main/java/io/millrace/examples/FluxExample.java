package io.millrace.examples;

import io.millrace.reactive.Publication;
import io.millrace.reactive.StreamOptions;
import io.millrace.reactive.Streams;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The README's reactive sample: a {@code Flux} made in one process, consumed with Reactor operators in another. Run
 * the two roles as two processes, publisher first (the subscriber waits up to 10 s for the name):
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp ... io.millrace.examples.FluxExample publish
 *   java --enable-native-access=ALL-UNNAMED -cp ... io.millrace.examples.FluxExample subscribe
 * </pre>
 */
public final class FluxExample {
    private FluxExample() {
    }

    public static void main(String[] args) throws InterruptedException {
        String role = args.length == 0 ? "" : args[0];
        switch (role) {
            case "publish" -> System.out.println(publish());
            case "subscribe" -> System.out.println(subscribe());
            default -> throw new IllegalArgumentException("role=" + role + ": expected publish or subscribe");
        }
    }

    /** The publishing process: offers the ticks under a name until one subscriber has taken all of them. */
    static String publish() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        // process A: a cold Flux, offered to every process on the host under a name
        Flux<String> ticks = Flux.range(1, 1000).map(i -> "tick " + i).doOnComplete(done::countDown);
        try (Publication publication = Streams.publish("ticks", String.class, ticks)) {
            System.out.println("PUBLISHED " + publication.name()); // close() withdraws the name
            if (!done.await(60, TimeUnit.SECONDS)) {
                return "nobody took the ticks within 60 s";
            }
        }
        return "publisher done";
    }

    /** The subscribing process: Reactor operators on a Flux whose elements come from the other process. */
    static String subscribe() {
        // process B: demand (request(n)) travels back to A; A's errors arrive as onError, its completion as onComplete
        long count = Streams.flux("ticks", String.class, StreamOptions.defaults().withTimeout(Duration.ofSeconds(10)))
                .filter(tick -> tick.endsWith("0"))
                .count()
                .block(Duration.ofSeconds(30));
        return "received " + count + " ticks ending in 0";
    }
}
