package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.ChildCommand;
import io.millrace.perf.bench.Header;
import io.millrace.perf.bench.PingLoop;
import io.millrace.perf.bench.ProducerSequence;
import io.millrace.perf.bench.Role;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.Stage;
import io.millrace.perf.bench.StreamMeter;
import io.millrace.perf.bench.TrialSpec;
import io.millrace.reactive.Publication;
import io.millrace.reactive.StreamOptions;
import io.millrace.reactive.Streams;
import io.millrace.shm.ShmDirectory;
import reactor.core.publisher.Flux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@code millrace} system's Flux-bridge rows (io.millrace.reactive): the publisher JVM
 * {@link Streams#publish publishes} a {@code Flux<byte[]>} under a name in a base directory inside the trial directory;
 * the subscriber JVM takes {@link Streams#flux} of it. Elements are {@code byte[]} of the row's size whose first 8
 * bytes (little-endian) are the harness's header. {@code flux-stream}: the source is a {@code Flux.generate} over a
 * {@link ProducerSequence}, the subscriber's prefetch is {@value #PREFETCH} and it meters every element.
 * {@code flux-request1}: the subscriber requests one element, spins until its {@code onNext}, and times that round
 * trip, as {@link RSocketSystem} does; the source is endless and cancelled at the end.
 */
final class MillraceFlux {

    /** The subscriber's prefetch in flux-stream. */
    static final int PREFETCH = 256;
    private static final String NAME = "bench";
    private static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(30);

    private MillraceFlux() {
    }

    /** The publisher first (it reports READY once published), then the subscriber, which waits for GO. */
    static List<Stage> stages(MillraceSystem system, TrialSpec trial) {
        Role publisher = trial.scenario() == Scenario.FLUX_STREAM ? Role.PRODUCER : Role.PONGER;
        Role subscriber = trial.scenario().measuringRole();
        return List.of(
                new Stage(List.of(new Stage.Launch(publisher, 0, ChildCommand.java(system, publisher, 0, trial),
                        false)), false),
                new Stage(List.of(new Stage.Launch(subscriber, 0, ChildCommand.java(system, subscriber, 0, trial),
                        true)), false));
    }

    static void run(RoleContext ctx) throws Exception {
        ShmDirectory dir = ShmDirectory.at(ctx.dir().resolve("millrace-flux"));
        Duration budget = Duration.ofMillis(ctx.warmupMs() + (long) ctx.reps() * ctx.repMs() + 60_000);
        switch (ctx.role()) {
            case PRODUCER, PONGER -> publish(ctx, dir, budget);
            case CONSUMER, PINGER -> subscribe(ctx, dir, budget);
            default -> throw new IllegalArgumentException("role " + ctx.role().id() + " is not played in " + ctx.scenario());
        }
    }

    private static byte[] element(long header, byte[] template) {
        byte[] e = template.clone();
        ByteBuffer.wrap(e).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header);
        return e;
    }

    private static long header(byte[] element) {
        return ByteBuffer.wrap(element).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    }

    private static void publish(RoleContext ctx, ShmDirectory dir, Duration budget) throws Exception {
        byte[] template = new byte[ctx.size()];
        for (int i = 0; i < template.length; i++) {
            template[i] = (byte) (i * 31 + 7);
        }
        CountDownLatch ended = new CountDownLatch(1);
        Flux<byte[]> source;
        if (ctx.scenario() == Scenario.FLUX_STREAM) {
            ProducerSequence sequence = new ProducerSequence(ctx);
            source = Flux.generate(sink -> {
                if (sequence.hasNext()) {
                    sink.next(element(sequence.next(), template));
                } else {
                    sink.complete();
                }
            });
        } else {
            long[] next = {0};
            source = Flux.generate(sink -> sink.next(element(Header.message(0, next[0]++), template)));
        }
        source = source.doFinally(signal -> ended.countDown());
        try (Publication publication = Streams.publish(NAME, byte[].class, source, dir)) {
            ctx.ready();
            if (!ended.await(budget.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the subscriber did not end its subscription within " + budget);
            }
            long deadline = System.nanoTime() + SUBSCRIBE_WAIT.toNanos();
            while (publication.activeSubscriptions() > 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(1); // the tail's delivery, after the source has ended; not on the measured path
            }
        }
    }

    private static void subscribe(RoleContext ctx, ShmDirectory dir, Duration budget) throws Exception {
        ctx.ready();
        ctx.awaitGo();
        StreamOptions options = StreamOptions.of(dir).withTimeout(SUBSCRIBE_WAIT).withPrefetch(PREFETCH);
        if (ctx.scenario() == Scenario.FLUX_STREAM) {
            StreamMeter meter = new StreamMeter(ctx);
            Streams.flux(NAME, byte[].class, options).doOnNext(e -> meter.onHeader(header(e))).blockLast(budget);
            if (!meter.done()) {
                throw new IllegalStateException("the stream completed before its last repetition");
            }
            return;
        }
        OneAtATime<byte[]> subscriber = new OneAtATime<>(MillraceFlux::header);
        Streams.flux(NAME, byte[].class, options.withPrefetch(1)).subscribe(subscriber);
        PingLoop.run(ctx, h -> {
            if (h == Header.STOP) {
                subscriber.dispose();
                return;
            }
            PingLoop.checkEcho(h, subscriber.next());
        });
    }
}
