package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.BenchSystem;
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
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.SocketAcceptor;
import io.rsocket.core.RSocketConnector;
import io.rsocket.core.RSocketServer;
import io.rsocket.frame.decoder.PayloadDecoder;
import io.rsocket.transport.ClientTransport;
import io.rsocket.transport.local.LocalClientTransport;
import io.rsocket.transport.local.LocalServerTransport;
import io.rsocket.transport.netty.client.TcpClientTransport;
import io.rsocket.transport.netty.server.TcpServerTransport;
import io.rsocket.util.ByteBufPayload;
import io.rsocket.util.EmptyPayload;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * RSocket-java 1.1.5 request-stream, the peer of the Flux bridge. {@code rsocket-tcp}: the responder (publisher) in
 * one JVM, the requester (subscriber) in another, over TCP on 127.0.0.1 (Reactor Netty). {@code rsocket-local}:
 * both in one JVM over RSocket's local transport, the in-process reference. Payloads are zero-copy
 * ({@link PayloadDecoder#ZERO_COPY}, released after reading) and start with the harness's 8-byte header.
 *
 * <p>{@code flux-stream}: the responder's stream is a {@code Flux.generate} over a {@link ProducerSequence} (the
 * same time-bound repetitions and markers as every producer); the subscriber takes it with {@code limitRate(256)}
 * (prefetch 256, replenished at 75 %) and meters it. {@code flux-request1}: the subscriber requests one element,
 * waits (spinning) for its {@code onNext}, and times that round trip; the responder's stream is an endless sequence.
 */
public final class RSocketSystem implements BenchSystem {

    /** The subscriber's prefetch in flux-stream. */
    static final int PREFETCH = 256;
    private static final Set<Scenario> SCENARIOS = Set.of(Scenario.FLUX_STREAM, Scenario.FLUX_REQUEST1);
    private static final String LOCAL_NAME = "millrace-bench";
    /** Counted down when the requester's connection closes: the responder's JVM may end. */
    private static final CountDownLatch CLOSED = new CountDownLatch(1);

    private final boolean tcp;

    private RSocketSystem(boolean tcp) {
        this.tcp = tcp;
    }

    /** {@code rsocket-tcp}: the two sides in two JVMs over TCP on 127.0.0.1. */
    public static RSocketSystem tcp() {
        return new RSocketSystem(true);
    }

    /** {@code rsocket-local}: the two sides in one JVM over the local transport. */
    public static RSocketSystem local() {
        return new RSocketSystem(false);
    }

    @Override
    public String name() {
        return tcp ? "rsocket-tcp" : "rsocket-local";
    }

    @Override
    public String description() {
        return "RSocket-java 1.1.5 request-stream " + (tcp ? "over TCP on 127.0.0.1 (Reactor Netty), one side per JVM"
                : "over the local transport, both sides in one JVM") + ", zero-copy payloads; flux-stream: "
                + "Flux.generate responder, limitRate(" + PREFETCH + ") subscriber; flux-request1: request(1) at a "
                + "time, the subscriber spinning for onNext";
    }

    @Override
    public List<String> jvmFlags() {
        // Netty allocates direct memory through sun.misc.Unsafe; JDK 24+ warns about it unless allowed.
        return List.of("--sun-misc-unsafe-memory-access=allow");
    }

    @Override
    public Set<Scenario> scenarios() {
        return SCENARIOS;
    }

    @Override
    public Optional<String> unsupported(Scenario scenario, int size) {
        return Optional.empty();
    }

    /**
     * rsocket-tcp: the responder first (it binds and reports its port), then the requester, which waits for GO.
     * rsocket-local: one JVM.
     */
    @Override
    public List<Stage> stages(TrialSpec trial) {
        if (!tcp) {
            Role role = Role.DRIVER;
            return List.of(new Stage(List.of(new Stage.Launch(role, 0, ChildCommand.java(this, role, 0, trial), true)),
                    false));
        }
        Role responder = trial.scenario() == Scenario.FLUX_STREAM ? Role.PRODUCER : Role.PONGER;
        Role requester = trial.scenario().measuringRole();
        return List.of(
                new Stage(List.of(new Stage.Launch(responder, 0, ChildCommand.java(this, responder, 0, trial), false)),
                        false),
                new Stage(List.of(new Stage.Launch(requester, 0, ChildCommand.java(this, requester, 0, trial), true)),
                        false));
    }

    @Override
    public void run(RoleContext ctx) throws Exception {
        Duration budget = Duration.ofMillis(ctx.warmupMs() + (long) ctx.reps() * ctx.repMs() + 60_000);
        switch (ctx.role()) {
            case PRODUCER, PONGER -> {
                var server = RSocketServer.create(acceptor(ctx)).payloadDecoder(PayloadDecoder.ZERO_COPY)
                        .bind(TcpServerTransport.create("127.0.0.1", 0)).block(Duration.ofSeconds(30));
                try {
                    ctx.ready(Map.of("port", Integer.toString(((InetSocketAddress) server.address()).getPort())));
                    if (!CLOSED.await(budget.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new IllegalStateException("the requester did not close its connection within " + budget);
                    }
                } finally {
                    server.dispose();
                }
            }
            case CONSUMER, PINGER -> {
                int port = Integer.parseInt(ctx.readyProperty("port"));
                ctx.ready();
                ctx.awaitGo();
                request(ctx, () -> TcpClientTransport.create("127.0.0.1", port), budget);
            }
            case DRIVER -> {
                Disposable server = RSocketServer.create(acceptor(ctx)).payloadDecoder(PayloadDecoder.ZERO_COPY)
                        .bind(LocalServerTransport.create(LOCAL_NAME)).block(Duration.ofSeconds(30));
                try {
                    ctx.ready();
                    ctx.awaitGo();
                    request(ctx, () -> LocalClientTransport.create(LOCAL_NAME), budget);
                } finally {
                    server.dispose();
                }
            }
            default -> throw new IllegalArgumentException("role " + ctx.role().id() + " is not played by " + name());
        }
    }

    /** The responder: a request-stream handler whose stream depends on the scenario. */
    private static SocketAcceptor acceptor(RoleContext ctx) {
        byte[] filler = filler(ctx.size());
        return (setup, requester) -> {
            requester.onClose().doFinally(s -> CLOSED.countDown()).subscribe();
            return Mono.just(new RSocket() {
                @Override
                public Flux<Payload> requestStream(Payload request) {
                    request.release();
                    if (ctx.scenario() == Scenario.FLUX_STREAM) {
                        ProducerSequence sequence = new ProducerSequence(ctx);
                        return Flux.generate(sink -> {
                            if (sequence.hasNext()) {
                                sink.next(payload(sequence.next(), filler));
                            } else {
                                sink.complete();
                            }
                        });
                    }
                    long[] next = {0};
                    return Flux.generate(sink -> sink.next(payload(Header.message(0, next[0]++), filler)));
                }
            });
        };
    }

    private static byte[] filler(int size) {
        byte[] b = new byte[size - Long.BYTES];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ((i + 8) * 31 + 7);
        }
        return b;
    }

    private static Payload payload(long header, byte[] filler) {
        ByteBuf data = ByteBufAllocator.DEFAULT.buffer(Long.BYTES + filler.length);
        data.writeLongLE(header).writeBytes(filler);
        return ByteBufPayload.create(data);
    }

    private static long header(Payload p) {
        try {
            return p.data().getLongLE(0);
        } finally {
            p.release();
        }
    }

    /** The requester: connects, then streams (flux-stream) or runs the request(1) round trips (flux-request1). */
    private static void request(RoleContext ctx, Supplier<ClientTransport> transport, Duration budget)
            throws Exception {
        RSocket socket = RSocketConnector.create().payloadDecoder(PayloadDecoder.ZERO_COPY)
                .connect(transport.get()).block(Duration.ofSeconds(30));
        try {
            if (ctx.scenario() == Scenario.FLUX_STREAM) {
                StreamMeter meter = new StreamMeter(ctx);
                socket.requestStream(EmptyPayload.INSTANCE).limitRate(PREFETCH)
                        .doOnNext(p -> meter.onHeader(header(p))).blockLast(budget);
                if (!meter.done()) {
                    throw new IllegalStateException("the stream completed before its last repetition");
                }
            } else {
                OneAtATime<Payload> subscriber = new OneAtATime<>(RSocketSystem::header);
                socket.requestStream(EmptyPayload.INSTANCE).subscribe(subscriber);
                PingLoop.run(ctx, h -> {
                    if (h == Header.STOP) {
                        subscriber.dispose();
                        return;
                    }
                    PingLoop.checkEcho(h, subscriber.next());
                });
            }
        } finally {
            socket.dispose();
        }
    }
}
