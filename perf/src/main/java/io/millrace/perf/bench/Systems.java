package io.millrace.perf.bench;

import io.millrace.perf.bench.systems.AeronSystem;
import io.millrace.perf.bench.systems.AgronaSystem;
import io.millrace.perf.bench.systems.ChmSystem;
import io.millrace.perf.bench.systems.ChronicleMapSystem;
import io.millrace.perf.bench.systems.ChronicleSystem;
import io.millrace.perf.bench.systems.LimitSystem;
import io.millrace.perf.bench.systems.MillraceActorsSystem;
import io.millrace.perf.bench.systems.MillraceLifecycleSystem;
import io.millrace.perf.bench.systems.MillraceSystem;
import io.millrace.perf.bench.systems.PipeSystem;
import io.millrace.perf.bench.systems.PekkoSystem;
import io.millrace.perf.bench.systems.PythonSystem;
import io.millrace.perf.bench.systems.RSocketSystem;
import io.millrace.perf.bench.systems.RingSystem;
import io.millrace.perf.bench.systems.SocketSystem;

import java.util.List;
import java.util.Optional;

/** Every system the harness knows, in table order: the limit, Millrace, then the peers. */
public final class Systems {

    /** Name of the machine-limit probes; never a peer. */
    public static final String LIMIT = "limit";
    /** Name of the system under test; never a peer. */
    public static final String MILLRACE = "millrace";
    /** The system under test publishing in batches ({@code Ring.Batch}); never a peer. */
    public static final String MILLRACE_BATCH = "millrace-batch";

    private static final List<BenchSystem> ALL = List.of(
            new LimitSystem(),
            MillraceSystem.perMessage(),
            MillraceSystem.batched(),
            new AgronaSystem(),
            new AeronSystem(),
            new ChronicleSystem(),
            new PipeSystem(),
            SocketSystem.uds(),
            SocketSystem.tcp(),
            PythonSystem.pipe(),
            PythonSystem.queue(),
            // the actor, Flux-bridge and process-pool scenarios (each plays only its own family)
            new RingSystem(),
            MillraceActorsSystem.busySpin(),
            MillraceActorsSystem.yielding(),
            MillraceActorsSystem.askInActor(),
            PekkoSystem.local(),
            PekkoSystem.artery(),
            PekkoSystem.aeron(),
            RSocketSystem.tcp(),
            RSocketSystem.local(),
            PythonSystem.pool(),
            PythonSystem.executor(),
            new MillraceLifecycleSystem(),
            // the shared-state scenarios (issue 16; millrace plays them too)
            new ChmSystem(),
            new ChronicleMapSystem(),
            PythonSystem.value(),
            PythonSystem.manager());

    private Systems() {
    }

    public static List<BenchSystem> all() {
        return ALL;
    }

    public static List<String> names() {
        return ALL.stream().map(BenchSystem::name).toList();
    }

    public static Optional<BenchSystem> byName(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Millrace's actors in the actor scenarios; never a peer. */
    public static final String MILLRACE_ACTORS = MillraceActorsSystem.NAME;

    /** Millrace's raw mailbox ring, the ceiling of the actor scenarios; never a peer. */
    public static final String RING = "ring";

    /**
     * A peer is every system other than Millrace itself (either way of publishing, and its actors), the machine
     * limits and the raw ring (the actor scenarios' ceiling).
     */
    public static boolean isPeer(String name) {
        return !LIMIT.equals(name) && !RING.equals(name) && !name.startsWith(MILLRACE);
    }

    /**
     * The system whose row a scenario's {@code ratioToLimit} relates to: {@code limit} for the transport scenarios,
     * {@code ring} for the actor scenarios, none (empty) for the others.
     */
    public static Optional<String> limitOf(Scenario scenario) {
        return switch (scenario.family()) {
            case TRANSPORT -> Optional.of(LIMIT);
            case ACTOR -> Optional.of(RING);
            case FLUX, POOL, LIFECYCLE, STATE -> Optional.empty();
        };
    }
}
