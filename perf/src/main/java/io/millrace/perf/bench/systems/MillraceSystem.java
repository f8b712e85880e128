package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.Header;
import io.millrace.perf.bench.Mapped;
import io.millrace.perf.bench.PingLoop;
import io.millrace.perf.bench.ProducerLoop;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.Spin;
import io.millrace.perf.bench.Stage;
import io.millrace.perf.bench.StreamMeter;
import io.millrace.perf.bench.Systems;
import io.millrace.perf.bench.TrialSpec;
import io.millrace.shm.OfferStatus;
import io.millrace.shm.RecordHandler;
import io.millrace.shm.RegionSpec;
import io.millrace.shm.Ring;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Millrace's own rings (mailbox-shm): an SPSC ring (spsc; one per direction for pingpong) or an MPSC ring
 * (mpsc3) of 4 MiB in a region of a private base directory inside the trial directory. The consumer/ponger
 * creates the region, the others attach. Producers {@code offer} (copy in), the consumer {@code poll}s batches
 * of up to 1024 records and reads each header in place; the ponger echoes by offering the record it was handed.
 * Nobody calls a waiting method: everyone spins like the peers. No JVM flags beyond FFM's native access.
 *
 * <p>Two systems: {@code millrace} publishes every message as it is offered; {@code millrace-batch} offers through
 * a {@code Ring.Batch} of {@value #BATCH} records, which publishes them together, and flushes at each
 * end-of-repetition marker: the publication the bare probe of the limit system uses. A round trip has one message
 * in flight, so {@code millrace-batch} has no pingpong rows.
 *
 * <p>{@code millrace} also plays the Flux-bridge scenarios (flux-stream, flux-request1) with
 * io.millrace.reactive's {@code Streams}: see {@link MillraceFlux}; and the process-pool scenarios (task-dispatch,
 * parallel-map, generator-stream, worker-start) with io.millrace.generators' {@code WorkerPool}: see
 * {@link MillracePool}.
 */
public final class MillraceSystem implements BenchSystem {

    private static final String REGION = "bench";
    private static final int TYPE = 1;
    private static final int POLL_LIMIT = 1024;
    /** Records per batch of millrace-batch: the bare probe's batch. */
    static final int BATCH = 64;
    private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);
    private static final ValueLayout.OfLong HEADER =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Ring.maxMessageLength() for a 4 MiB ring: capacity / 8 - the 8-byte record header. */
    static final int MAX_MESSAGE = Mapped.RING_BYTES / 8 - 8;

    private static final Set<Scenario> WITH_FLUX;

    static {
        EnumSet<Scenario> s = EnumSet.copyOf(TRANSPORT);
        s.addAll(Scenario.of(Scenario.Family.FLUX));
        s.addAll(Scenario.of(Scenario.Family.POOL));
        s.addAll(Scenario.of(Scenario.Family.STATE));
        WITH_FLUX = Collections.unmodifiableSet(s);
    }

    private final boolean batched;

    private MillraceSystem(boolean batched) {
        this.batched = batched;
    }

    /** {@code millrace}: each message published as it is offered. */
    public static MillraceSystem perMessage() {
        return new MillraceSystem(false);
    }

    /** {@code millrace-batch}: messages published in batches of {@value #BATCH}. */
    public static MillraceSystem batched() {
        return new MillraceSystem(true);
    }

    @Override
    public String name() {
        return batched ? Systems.MILLRACE_BATCH : Systems.MILLRACE;
    }

    @Override
    public String description() {
        return batched
                ? "Millrace as above, the producers offering through a Ring.Batch of " + BATCH + " records (one "
                  + "release store publishes them) flushed at each end-of-repetition marker; spsc and mpsc3 only"
                : "Millrace mailbox-shm SPSC Ring (spsc, pingpong) / MPSC Ring (mpsc3), 4 MiB ring in a region in "
                  + "/dev/shm, offer() + poll(handler, 1024), pong echo by offer() of the received (buffer, offset, length), busy spin; "
                  + "flux-*: io.millrace.reactive Streams.publish in the publisher JVM, Streams.flux(name, byte[].class, "
                  + "prefetch " + MillraceFlux.PREFETCH + ") in the subscriber JVM, request(1) spun on for flux-request1; "
                  + "pool scenarios: io.millrace.generators WorkerPool(" + MillracePool.WORKERS + ", lowLatency) of "
                  + "worker JVMs: call (task-dispatch), Parallel.mapInts over an int[] (parallel-map), "
                  + "Generators.flux of byte[] (generator-stream), a new pool of one to its first result "
                  + "(worker-start, spawn only); "
                  + "state scenarios: io.millrace.state struct addCount, Transactions.atomic transfer, SharedMap "
                  + "get/put of raw bytes in /dev/shm";
    }

    @Override
    public Set<Scenario> scenarios() {
        return batched ? TRANSPORT : WITH_FLUX;
    }

    @Override
    public List<Stage> stages(TrialSpec trial) {
        return switch (trial.scenario().family()) {
            case FLUX -> MillraceFlux.stages(this, trial);
            case STATE -> StateLoop.stages(this, trial);
            default -> BenchSystem.super.stages(trial);
        };
    }

    @Override
    public Optional<String> unsupported(Scenario scenario, int size) {
        if (scenario.family() == Scenario.Family.POOL) {
            return MillracePool.unsupported(scenario, size);
        }
        if (batched && scenario == Scenario.PINGPONG) {
            return Optional.of("a round trip has one message in flight: nothing to batch");
        }
        return size > MAX_MESSAGE && scenario.family() == Scenario.Family.TRANSPORT
                ? Optional.of("above the ring's maxMessageLength of " + MAX_MESSAGE + " bytes for a 4 MiB ring")
                : Optional.empty();
    }

    @Override
    public void run(RoleContext ctx) throws Exception {
        if (ctx.scenario().family() == Scenario.Family.FLUX) {
            MillraceFlux.run(ctx);
            return;
        }
        if (ctx.scenario().family() == Scenario.Family.POOL) {
            MillracePool.run(ctx);
            return;
        }
        if (ctx.scenario().family() == Scenario.Family.STATE) {
            MillraceState.run(ctx);
            return;
        }
        ShmDirectory dir = ShmDirectory.at(ctx.dir().resolve("millrace"));
        ctx.role().dispatch(() -> consume(ctx, dir, ctx.scenario() == Scenario.MPSC3, ring -> ctx.ready()),
                () -> produce(ctx, dir, batched), () -> pong(ctx, dir, false), () -> ping(ctx, dir));
    }

    static MemorySegment payload(Arena arena, int size) {
        MemorySegment src = arena.allocate(size, 8);
        for (int i = 0; i < size; i++) {
            src.set(ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + 7));
        }
        return src;
    }

    static void offer(Ring ring, MemorySegment src) {
        while (ring.offer(TYPE, src) != OfferStatus.ACCEPTED) {
            Spin.idle();
        }
    }

    /**
     * The consumer: creates the region with its ring (MPSC or SPSC), hands the ring to {@code created} (which reports
     * READY; the ring system's actor-local also starts its producer thread there), then polls until the last rep.
     */
    static void consume(RoleContext ctx, ShmDirectory dir, boolean mpsc, Consumer<Ring> created) {
        RegionSpec.Builder spec = RegionSpec.named(REGION);
        spec = mpsc ? spec.mpscRing("ring", Mapped.RING_BYTES) : spec.spscRing("ring", Mapped.RING_BYTES);
        try (SharedRegion region = dir.create(spec.build())) {
            Ring ring = region.ring("ring");
            created.accept(ring);
            StreamMeter meter = new StreamMeter(ctx);
            RecordHandler handler = (type, buffer, offset, length) -> meter.onHeader(buffer.get(HEADER, offset));
            while (!meter.done()) {
                if (ring.poll(handler, POLL_LIMIT) == 0) {
                    Spin.idle();
                }
            }
        }
    }

    static void produce(RoleContext ctx, ShmDirectory dir, boolean batched) throws Exception {
        try (SharedRegion region = dir.attach(REGION, ATTACH_TIMEOUT); Arena arena = Arena.ofConfined()) {
            Ring ring = region.ring("ring");
            MemorySegment src = payload(arena, ctx.size());
            ctx.ready();
            ctx.awaitGo();
            if (!batched) {
                ProducerLoop.run(ctx, header -> {
                    src.set(HEADER, 0, header);
                    offer(ring, src);
                });
                return;
            }
            Ring.Batch batch = ring.batch(BATCH);
            ProducerLoop.run(ctx, header -> {
                src.set(HEADER, 0, header);
                while (batch.offer(TYPE, src) != OfferStatus.ACCEPTED) {
                    Spin.idle();
                }
                if (header < 0) {
                    batch.flush(); // end of a repetition: the consumer must see it now
                }
            });
        }
    }

    /** The ponger, over two SPSC rings, or two MPSC rings (the ring system's request and reply mailboxes). */
    static void pong(RoleContext ctx, ShmDirectory dir, boolean mpsc) {
        RegionSpec spec = (mpsc ? RegionSpec.named(REGION).mpscRing("ping", Mapped.RING_BYTES)
                .mpscRing("pong", Mapped.RING_BYTES)
                : RegionSpec.named(REGION).spscRing("ping", Mapped.RING_BYTES).spscRing("pong", Mapped.RING_BYTES))
                .build();
        try (SharedRegion region = dir.create(spec)) {
            Ring ping = region.ring("ping");
            Ring pong = region.ring("pong");
            ctx.ready();
            boolean[] stop = {false};
            RecordHandler echo = (type, buffer, offset, length) -> {
                while (pong.offer(type, buffer, offset, length) != OfferStatus.ACCEPTED) { // no slice per message
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

    static void ping(RoleContext ctx, ShmDirectory dir) throws Exception {
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
