package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.Header;
import io.millrace.perf.bench.Mapped;
import io.millrace.perf.bench.PingLoop;
import io.millrace.perf.bench.ProducerLoop;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Role;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.Spin;
import io.millrace.perf.bench.StreamMeter;
import io.millrace.perf.bench.Systems;
import io.millrace.shm.OfferStatus;
import io.millrace.shm.RecordHandler;
import io.millrace.shm.RegionSpec;
import io.millrace.shm.Ring;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The ceiling of the actor scenarios: Millrace's raw mailbox ring (mailbox-shm {@code MpscRing}, 4 MiB, the ring an
 * actor's mailbox is made of) moving the same messages in the same pattern, with no actor around it.
 * {@code actor-tell}: one producer process streams into the ring; {@code actor-fanin}: three do; {@code actor-ask}:
 * a ping-pong over two MPSC rings (a request mailbox and a reply mailbox); {@code actor-local}: a producer thread
 * and the consumer in one process. Producers {@code offer}, the consumer {@code poll}s up to 1024 records; all spin.
 */
public final class RingSystem implements BenchSystem {

    private static final String REGION = "bench";
    private static final int TYPE = 1;
    private static final int POLL_LIMIT = 1024;
    private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);
    private static final ValueLayout.OfLong HEADER =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_MESSAGE = Mapped.RING_BYTES / 8 - 8;
    private static final Set<Scenario> SCENARIOS =
            Collections.unmodifiableSet(EnumSet.copyOf(Scenario.of(Scenario.Family.ACTOR)));

    @Override
    public String name() {
        return Systems.RING;
    }

    @Override
    public String description() {
        return "Millrace mailbox-shm MpscRing, 4 MiB (the actor mailbox's ring, no actors): actor-tell/fanin stream "
                + "1/3 producers, actor-ask ping-pong over two MPSC rings, actor-local a producer thread in the "
                + "consumer's process; offer() + poll(handler, 1024), busy spin";
    }

    @Override
    public Set<Scenario> scenarios() {
        return SCENARIOS;
    }

    @Override
    public Optional<String> unsupported(Scenario scenario, int size) {
        return size > MAX_MESSAGE
                ? Optional.of("above the ring's maxMessageLength of " + MAX_MESSAGE + " bytes for a 4 MiB ring")
                : Optional.empty();
    }

    @Override
    public void run(RoleContext ctx) throws Exception {
        ShmDirectory dir = ShmDirectory.at(ctx.dir().resolve("ring"));
        if (ctx.role() == Role.DRIVER) {
            local(ctx, dir);
            return;
        }
        ctx.role().dispatch(() -> consume(ctx, dir, ring -> ctx.ready()), () -> produce(ctx, dir),
                () -> pong(ctx, dir), () -> ping(ctx, dir));
    }

    private static MemorySegment payload(Arena arena, int size) {
        MemorySegment src = arena.allocate(size, 8);
        for (int i = 0; i < size; i++) {
            src.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + 7));
        }
        return src;
    }

    private static void offer(Ring ring, MemorySegment src) {
        while (ring.offer(TYPE, src) != OfferStatus.ACCEPTED) {
            Spin.idle();
        }
    }

    /** Creates the ring, hands it to {@code whenCreated} (which reports READY), then consumes until the last rep. */
    private static void consume(RoleContext ctx, ShmDirectory dir, Consumer<Ring> whenCreated) {
        try (SharedRegion region = dir.create(RegionSpec.named(REGION).mpscRing("ring", Mapped.RING_BYTES).build())) {
            Ring ring = region.ring("ring");
            whenCreated.accept(ring);
            StreamMeter meter = new StreamMeter(ctx);
            RecordHandler handler = (type, buffer, offset, length) -> meter.onHeader(buffer.get(HEADER, offset));
            while (!meter.done()) {
                if (ring.poll(handler, POLL_LIMIT) == 0) {
                    Spin.idle();
                }
            }
        }
    }

    private static void produce(RoleContext ctx, ShmDirectory dir) throws Exception {
        try (SharedRegion region = dir.attach(REGION, ATTACH_TIMEOUT); Arena arena = Arena.ofConfined()) {
            Ring ring = region.ring("ring");
            MemorySegment src = payload(arena, ctx.size());
            ctx.ready();
            ctx.awaitGo();
            stream(ctx, ring, src);
        }
    }

    private static void stream(RoleContext ctx, Ring ring, MemorySegment src) throws Exception {
        ProducerLoop.run(ctx, header -> {
            src.set(HEADER, 0, header);
            offer(ring, src);
        });
    }

    /** actor-local: the consumer on this thread, the producer on another, one ring between them. */
    private static void local(RoleContext ctx, ShmDirectory dir) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] producer = new Thread[1];
        consume(ctx, dir, ring -> {
            ctx.ready();
            try {
                ctx.awaitGo();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            producer[0] = Thread.ofPlatform().name("ring-producer").start(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    stream(ctx, ring, payload(arena, ctx.size()));
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
        });
        producer[0].join();
        if (failure.get() != null) {
            throw new IllegalStateException("the producer thread failed: " + failure.get(), failure.get());
        }
    }

    private static void pong(RoleContext ctx, ShmDirectory dir) {
        RegionSpec spec = RegionSpec.named(REGION).mpscRing("ping", Mapped.RING_BYTES)
                .mpscRing("pong", Mapped.RING_BYTES).build();
        try (SharedRegion region = dir.create(spec)) {
            Ring ping = region.ring("ping");
            Ring pong = region.ring("pong");
            ctx.ready();
            boolean[] stop = {false};
            RecordHandler echo = (type, buffer, offset, length) -> {
                MemorySegment message = buffer.asSlice(offset, length);
                while (pong.offer(type, message) != OfferStatus.ACCEPTED) {
                    Spin.idle();
                }
                stop[0] = buffer.get(HEADER, offset) == Header.STOP;
            };
            while (!stop[0]) {
                if (ping.poll(echo, 1) == 0) {
                    Spin.idle();
                }
            }
        }
    }

    private static void ping(RoleContext ctx, ShmDirectory dir) throws Exception {
        try (SharedRegion region = dir.attach(REGION, ATTACH_TIMEOUT); Arena arena = Arena.ofConfined()) {
            Ring ping = region.ring("ping");
            Ring pong = region.ring("pong");
            MemorySegment src = payload(arena, ctx.size());
            ctx.ready();
            ctx.awaitGo();
            long[] echoed = new long[1];
            RecordHandler onPong = (type, buffer, offset, length) -> echoed[0] = buffer.get(HEADER, offset);
            PingLoop.run(ctx, header -> {
                src.set(HEADER, 0, header);
                offer(ping, src);
                while (pong.poll(onPong, 1) == 0) {
                    Spin.idle();
                }
                PingLoop.checkEcho(header, echoed[0]);
            });
        }
    }
}
