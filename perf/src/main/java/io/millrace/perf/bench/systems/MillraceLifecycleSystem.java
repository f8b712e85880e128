package io.millrace.perf.bench.systems;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.AskPattern;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;
import io.millrace.actors.ChildJoined;
import io.millrace.actors.Joinable;
import io.millrace.actors.NodeRestart;
import io.millrace.actors.NodeSpec;
import io.millrace.actors.Props;
import io.millrace.actors.RemoteNode;
import io.millrace.actors.SupervisorStrategy;
import io.millrace.actors.Terminated;
import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.RepResult;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Millrace's actor lifecycle across processes (issue 13), one driver JVM that starts child JVM nodes:
 * {@code watch-latency} (SIGKILL of a node to a watcher's {@code Terminated}; each sample costs a node start,
 * untimed), {@code restart} (variant actor: a supervised actor's failure to its next reply; variant node: SIGKILL
 * to the node running again, its JVM start included), {@code join} (a joinable child spawned in a warm child JVM,
 * told to stop, its snapshot merged in the parent). Each sample is timed alone; a repetition takes samples until
 * its time is up, at least one.
 */
public final class MillraceLifecycleSystem implements BenchSystem {

    public static final String NAME = "millrace-lifecycle";
    private static final Set<Scenario> SCENARIOS =
            Collections.unmodifiableSet(EnumSet.copyOf(Scenario.of(Scenario.Family.LIFECYCLE)));
    private static final long WAIT_SECONDS = 60;

    /** What the restarted actor takes: fail, or answer. */
    public sealed interface Probe permits Fail, Ask {
    }

    /** Makes the actor throw. */
    public record Fail() implements Probe {
    }

    /** Asks for a reply. */
    public record Ask(ActorRef<Long> replyTo) implements Probe {
    }

    /** A join's snapshot: how many children joined. */
    public record Tally(long joined) {
    }

    /** One timed sample. */
    @FunctionalInterface
    interface Sample {
        long nanos() throws Exception;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Millrace actors' lifecycle across JVMs: a driver ActorSystem (1 dispatcher thread) and child JVM nodes"
                + " (spawnNode); watch: ProcessWatch (pidfd) to Terminated; restart: SupervisorStrategy.restart() /"
                + " NodeRestart; join: spawnJoinable with Props.onNode, extract in the child, merge in the parent";
    }

    @Override
    public Set<Scenario> scenarios() {
        return SCENARIOS;
    }

    @Override
    public Optional<String> unsupported(Scenario scenario, int size) {
        return scenario.checkSize(size);
    }

    @Override
    public void run(RoleContext ctx) throws Exception {
        Path base = ctx.dir().resolve("millrace-lifecycle");
        Files.createDirectories(base, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ActorSystemConfig config = ActorSystemConfig.defaults().withBaseDirectory(base).withDispatcherThreads(1);
        try (ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench-lifecycle", config)) {
            switch (ctx.scenario()) {
                case WATCH_LATENCY -> {
                    int[] n = {0};
                    measure(ctx, () -> watchOnce(system, n[0]++));
                }
                case RESTART -> {
                    if (ctx.size() == Scenario.RESTART_NODE) {
                        restartNodes(ctx, system);
                    } else {
                        restartActors(ctx, system);
                    }
                }
                case JOIN -> joins(ctx, system);
                default -> throw new IllegalArgumentException("scenario=" + ctx.scenario() + " is not " + NAME
                        + "'s");
            }
        }
    }

    /** Time-bound repetitions of samples into an HdrHistogram; one {@code RESULT} per reported repetition. */
    static void measure(RoleContext ctx, Sample sample) throws Exception {
        ctx.ready();
        ctx.awaitGo();
        Histogram histogram = new Histogram(3_600_000_000_000L, 3);
        for (int rep = 0; rep <= ctx.reps(); rep++) {
            histogram.reset();
            long start = System.nanoTime();
            long deadline = start + (rep == 0 ? ctx.warmupMs() : ctx.repMs()) * 1_000_000L;
            do {
                histogram.recordValue(Math.max(0, sample.nanos()));
            } while (System.nanoTime() - deadline < 0);
            if (rep > 0) {
                ctx.result(new RepResult(rep, histogram.getTotalCount(), System.nanoTime() - start,
                        histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                        histogram.getValueAtPercentile(99.9)));
            }
        }
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    static Behavior<Object> idle() {
        return Behaviors.ignore();
    }

    /** A node with one actor, watched from here (untimed); then the kill, timed to the watcher's Terminated. */
    private static long watchOnce(ActorSystem<Void> system, int n) throws Exception {
        try (RemoteNode node = get(system.spawnNode(NodeSpec.named("bench-watched-" + n).withDispatcherThreads(1)))) {
            ActorRef<Object> target = get(node.spawn(MillraceLifecycleSystem::idle, "target"));
            CompletableFuture<Void> watching = new CompletableFuture<>();
            CompletableFuture<Long> terminated = new CompletableFuture<>();
            system.systemActorOf(Behaviors.setup(context -> {
                context.watch(target);
                watching.complete(null);
                return Behaviors.receive((c, m) -> Behaviors.same(), (c, signal) -> {
                    if (signal instanceof Terminated) {
                        terminated.complete(System.nanoTime());
                        return Behaviors.stopped();
                    }
                    return Behaviors.same();
                });
            }), "watcher-" + n);
            get(watching);
            long killed = System.nanoTime();
            ProcessHandle.of(node.pid()).orElseThrow().destroyForcibly();
            return get(terminated) - killed;
        }
    }

    private static void restartActors(RoleContext ctx, ActorSystem<Void> system) throws Exception {
        Behavior<Probe> answering = Behaviors.receiveMessage(probe -> {
            switch (probe) {
                case Fail f -> throw new IllegalStateException("bench failure");
                case Ask a -> a.replyTo().tell(System.nanoTime());
            }
            return Behaviors.same();
        });
        ActorRef<Probe> actor = system.systemActorOf(Behaviors.supervise(answering)
                .onFailure(IllegalStateException.class, SupervisorStrategy.restart()), "restarting");
        Duration timeout = Duration.ofSeconds(WAIT_SECONDS);
        measure(ctx, () -> {
            long start = System.nanoTime();
            actor.tell(new Fail());
            get(AskPattern.<Probe, Long>ask(actor, Ask::new, timeout, system));
            return System.nanoTime() - start;
        });
    }

    private static void restartNodes(RoleContext ctx, ActorSystem<Void> system) throws Exception {
        try (RemoteNode node = get(system.spawnNode(NodeSpec.named("bench-restarted").withDispatcherThreads(1)
                .withRestart(NodeRestart.withBackoff(Duration.ofMillis(1), Duration.ofMillis(1),
                        Integer.MAX_VALUE))))) {
            measure(ctx, () -> {
                CompletionStage<RemoteNode> restarted = node.whenRestarted();
                long killed = System.nanoTime();
                ProcessHandle.of(node.pid()).orElseThrow().destroyForcibly();
                get(restarted);
                return System.nanoTime() - killed;
            });
        }
    }

    static Behavior<String> joinChild() {
        return Behaviors.stateful(new Tally(1), (context, tally, message) -> Behaviors.stopped());
    }

    private static void joins(RoleContext ctx, ActorSystem<Void> system) throws Exception {
        try (RemoteNode node = get(system.spawnNode(NodeSpec.named("bench-joins").withDispatcherThreads(1)))) {
            BlockingQueue<Long> joined = new LinkedBlockingQueue<>();
            Joinable<Tally, Tally, Tally> joinable = Joinable.of(Tally.class, tally -> tally,
                    (parent, snapshot) -> new Tally(parent.joined() + snapshot.joined()));
            ActorRef<Integer> parent = system.systemActorOf(Behaviors.stateful(new Tally(0),
                    (context, tally, n) -> {
                        context.spawnJoinable(MillraceLifecycleSystem::joinChild, "child-" + n, joinable,
                                Props.onNode(node)).tell("stop");
                        return Behaviors.same();
                    }, (context, tally, signal) -> {
                        if (signal instanceof ChildJoined) {
                            joined.add(System.nanoTime());
                        }
                        return Behaviors.same();
                    }), "parent");
            int[] n = {0};
            measure(ctx, () -> {
                long start = System.nanoTime();
                parent.tell(n[0]++);
                Long end = joined.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                if (end == null) {
                    throw new IllegalStateException("join " + (n[0] - 1) + " did not come within " + WAIT_SECONDS
                            + " s");
                }
                return end - start;
            });
        }
    }
}
