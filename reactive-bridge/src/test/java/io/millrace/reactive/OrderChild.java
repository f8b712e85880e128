package io.millrace.reactive;

import io.millrace.shm.ShmDirectory;
import reactor.core.publisher.Flux;

import java.time.Duration;

/**
 * A child JVM of the message-codec tests. {@code publish NAME COUNT}: publishes {@link Orders#order} 0..COUNT-1 in
 * the base directory of {@code -Dmillrace.dir}, says {@code READY}, and withdraws it and exits once the stream
 * {@code NAME.stop} (published by the parent) completes.
 */
public final class OrderChild {
    private OrderChild() {
    }

    public static void main(String[] args) {
        ShmDirectory directory = ShmDirectory.defaultDirectory();
        String name = args[1];
        int count = Integer.parseInt(args[2]);
        try (Publication p = Streams.publish(name, Orders.Order.class, Flux.range(0, count).map(Orders::order),
                directory)) {
            System.out.println("READY");
            Streams.flux(name + ".stop", String.class, StreamOptions.of(directory).withTimeout(Duration.ofSeconds(60)))
                    .blockLast(Duration.ofSeconds(90));
        }
        System.out.println("DONE");
    }
}
