package io.millrace.reactive;

import io.millrace.shm.RegionSpec;
import io.millrace.shm.SharedAtomicLong;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A child JVM for cross-process tests, in the base directory of {@code -Dmillrace.dir}.
 * <ul>
 *   <li>{@code export STOP SPEC...}: publishes each {@code name=kind} ({@code range:N}, {@code infinite},
 *   {@code counted}, {@code big}: 16 KiB byte[]s
 *   counted in the region {@code emitted.NAME}, {@code failing}: two elements, then an error; {@code error}: an error at once), prints {@code READY}, and withdraws them and exits once the parent's stream
 *   {@code STOP} ends. {@code counted} prints {@code REQUESTED total} per request and
 *   {@code CANCELLED emitted=E requested=R} on cancel.</li>
 *   <li>{@code import NAME}: requests one element of the parent's stream {@code NAME}, prints {@code GOT x}, and
 *   waits to be killed.</li>
 *   <li>{@code subscription NAME}: creates a subscription region of stream {@code NAME} as a subscriber does before
 *   sending {@code SUBSCRIBE}, prints {@code CREATED region}, and waits to be killed.</li>
 * </ul>
 */
public final class StreamChild {
    private StreamChild() {
    }

    public static void main(String[] args) {
        switch (args[0]) {
            case "export" -> export(args[1], List.of(args).subList(2, args.length));
            case "import" -> importOne(args[1]);
            case "subscription" -> createSubscription(args[1]);
            default -> throw new IllegalArgumentException("mode=" + args[0]);
        }
    }

    private static void export(String stop, List<String> specs) {
        List<AutoCloseable> publications = new ArrayList<>();
        for (String spec : specs) {
            String name = spec.substring(0, spec.indexOf('='));
            String kind = spec.substring(spec.indexOf('=') + 1);
            if (kind.equals("big")) {
                // 16 KiB elements; how many the source has emitted is in the region "emitted.NAME"
                SharedRegion counter = ShmDirectory.defaultDirectory().create(
                        RegionSpec.named("emitted." + name).atomicLong("emitted").build());
                SharedAtomicLong emitted = counter.atomicLong("emitted");
                publications.add(counter::unlink);
                publications.add(counter);
                publications.add(Streams.publish(name, byte[].class, Flux.range(0, Integer.MAX_VALUE)
                        .map(i -> new byte[16 * 1024]).doOnNext(x -> emitted.incrementAndGet())));
            } else {
                publications.add(Streams.publish(name, String.class, source(kind)));
            }
        }
        System.out.println("READY " + ProcessHandle.current().pid());
        try {
            Streams.flux(stop, String.class).blockLast();
        } catch (RuntimeException e) {
            System.out.println("STOP " + e);
        }
        for (AutoCloseable publication : publications.reversed()) {
            try {
                publication.close();
            } catch (Exception e) {
                System.out.println("CLOSE " + e);
            }
        }
        System.out.println("STOPPED");
        System.exit(0);
    }

    static Flux<String> source(String kind) {
        if (kind.startsWith("range:")) {
            return Flux.range(0, Integer.parseInt(kind.substring(6))).map(String::valueOf);
        }
        return switch (kind) {
            case "infinite" -> infinite();
            case "counted" -> {
                AtomicLong requested = new AtomicLong();
                AtomicLong emitted = new AtomicLong();
                yield infinite()
                        .doOnRequest(n -> System.out.println("REQUESTED " + requested.addAndGet(n)))
                        .doOnNext(x -> emitted.incrementAndGet())
                        .doOnCancel(() -> System.out.println("CANCELLED emitted=" + emitted.get()
                                + " requested=" + requested.get()));
            }
            case "error" -> Flux.error(new IllegalStateException("failed on purpose"));
            case "failing" -> Flux.just("a", "b").concatWith(Flux.defer(() -> Flux.error(
                    new IllegalStateException("producer failed", new IOException("disk full")))));
            default -> throw new IllegalArgumentException("kind=" + kind);
        };
    }

    private static Flux<String> infinite() {
        return Flux.generate(() -> 0L, (i, sink) -> {
            sink.next(String.valueOf(i));
            return i + 1;
        });
    }

    private static void createSubscription(String name) {
        String regionName = StreamDescriptor.subscriptionRegion(name, ProcessHandle.current().pid(), 1);
        ShmDirectory.defaultDirectory().create(StreamDescriptor.subscriptionSpec(regionName,
                StreamOptions.DEFAULT_DATA_RING_CAPACITY));
        System.out.println("CREATED " + regionName);
        while (true) {
            LockSupport.park();
        }
    }

    private static void importOne(String name) {
        Streams.flux(name, String.class).subscribe(new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                request(1);
            }

            @Override
            protected void hookOnNext(String value) {
                System.out.println("GOT " + value);
            }

            @Override
            protected void hookOnError(Throwable throwable) {
                System.out.println("ERROR " + throwable);
            }
        });
        while (true) {
            LockSupport.park();
        }
    }
}
