package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.ProducerLoop;
import io.millrace.perf.bench.Role;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.Systems;
import io.millrace.shm.ShmDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The ceiling of the actor scenarios: Millrace's raw mailbox ring (a mailbox-shm MPSC {@code Ring}, 4 MiB, the ring an
 * actor's mailbox is made of) moving the same messages in the same pattern, with no actor around it.
 * {@code actor-tell}: one producer process streams into the ring; {@code actor-fanin}: three do; {@code actor-ask}:
 * a ping-pong over two MPSC rings (a request mailbox and a reply mailbox); {@code actor-local}: a producer thread
 * and the consumer in one process. The roles are {@link MillraceSystem}'s, on MPSC rings: producers {@code offer},
 * the consumer {@code poll}s up to 1024 records; all spin.
 */
public final class RingSystem implements BenchSystem {

    private static final ValueLayout.OfLong HEADER =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final Set<Scenario> SCENARIOS =
            Collections.unmodifiableSet(EnumSet.copyOf(Scenario.of(Scenario.Family.ACTOR)));

    @Override
    public String name() {
        return Systems.RING;
    }

    @Override
    public String description() {
        return "Millrace mailbox-shm MPSC Ring, 4 MiB (the actor mailbox's ring, no actors): actor-tell/fanin stream "
                + "1/3 producers, actor-ask ping-pong over two MPSC rings, actor-local a producer thread in the "
                + "consumer's process; offer() + poll(handler, 1024), busy spin";
    }

    @Override
    public Set<Scenario> scenarios() {
        return SCENARIOS;
    }

    @Override
    public Optional<String> unsupported(Scenario scenario, int size) {
        return MillraceSystem.perMessage().unsupported(Scenario.SPSC, size); // the same ring's message bound
    }

    @Override
    public void run(RoleContext ctx) throws Exception {
        ShmDirectory dir = ShmDirectory.at(ctx.dir().resolve("ring"));
        if (ctx.role() == Role.DRIVER) {
            local(ctx, dir);
            return;
        }
        ctx.role().dispatch(() -> MillraceSystem.consume(ctx, dir, true, ring -> ctx.ready()),
                () -> MillraceSystem.produce(ctx, dir, false), () -> MillraceSystem.pong(ctx, dir, true),
                () -> MillraceSystem.ping(ctx, dir));
    }

    /** actor-local: the consumer on this thread, the producer on another, one ring between them. */
    private static void local(RoleContext ctx, ShmDirectory dir) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] producer = new Thread[1];
        MillraceSystem.consume(ctx, dir, true, ring -> {
            ctx.ready();
            try {
                ctx.awaitGo();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            producer[0] = Thread.ofPlatform().name("ring-producer").start(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment src = MillraceSystem.payload(arena, ctx.size());
                    ProducerLoop.run(ctx, header -> {
                        src.set(HEADER, 0, header);
                        MillraceSystem.offer(ring, src);
                    });
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
}
