package io.millrace.perf.idle;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.AskPattern;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;
import io.millrace.actors.NodeSpec;
import io.millrace.actors.RemoteNode;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Measures what idle actors and idle watches cost (issue 12/13): the CPU time and heap of a node (a child JVM of
 * {@code spawnNode}, default config: {@code WaitStrategy.blocking()}, 2 dispatcher threads) that holds
 * {@code actors} idle actors, then of a second node whose one actor watches each of them (so {@code actors} watches
 * of actors of another node). CPU: the node process's {@code utime + stime} from {@code /proc/<pid>/stat} over
 * {@code seconds}, after a settling second, nothing sent. Heap: the node's used heap after {@code System.gc()},
 * before and after, divided by the count (the JVM's own noise is a few KiB).
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp perf/target/millrace-perf.jar io.millrace.perf.idle.IdleProbe [actors] [seconds]</pre>
 */
public final class IdleProbe {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Refs per message back to the driver, well under the 1 MiB default message size. */
    private static final int REFS_PER_MESSAGE = 500;
    /** Linux reports {@code /proc/<pid>/stat} times in USER_HZ ticks, 100 a second. */
    private static final long TICKS_PER_SECOND = 100;
    private static final long SETTLE_MILLIS = 3000;

    private IdleProbe() {
    }

    /** What a node's host actor takes. */
    public sealed interface Command permits Populate, WatchAll, Heap, Threads {
    }

    /** Spawn {@code count} idle children; their refs go to {@code replyTo} as {@link Refs}, then a {@link Done}. */
    public record Populate(int count, ActorRef<Object> replyTo) implements Command {
    }

    /** Watch each of {@code targets}; then a {@link Done} with the watches so far. */
    public record WatchAll(List<ActorRef<Object>> targets, ActorRef<Object> replyTo) implements Command {
    }

    /** Reply with the used heap after {@code System.gc()}, in bytes. */
    public record Heap(ActorRef<Object> replyTo) implements Command {
    }

    /** Reply with the CPU time of each thread of the node's JVM so far (nanoseconds, by thread name). */
    public record Threads(ActorRef<Object> replyTo) implements Command {
    }

    /** CPU nanoseconds by thread name. */
    public record ThreadCpu(Map<String, Long> nanos) {
    }

    /** Some refs of the children spawned. */
    public record Refs(List<ActorRef<Object>> refs) {
    }

    /** How many (children or watches) there are now. */
    public record Done(long count) {
    }

    /** A used heap, in bytes. */
    public record Used(long bytes) {
    }

    /** One measured node: CPU over the window in percent of one core, heap bytes before and after. */
    public record Figures(String what, long pid, double cpuPercent, long cpuTicks, double seconds, long heapBefore,
                          long heapAfter, int count, String unit, String busiestThreads) {
        @Override
        public String toString() {
            return String.format("%s: %.2f %% of a core (%d ticks of 10 ms in %.1f s, pid=%d; its threads' CPU: %s)%s", what,
                    cpuPercent, cpuTicks, seconds, pid, busiestThreads, count == 0 ? "" : String.format(
                            "; heap %,d -> %,d bytes: %,d bytes per %s", heapBefore, heapAfter,
                            (heapAfter - heapBefore) / count, unit));
        }
    }

    /** The host actor of each node (shipped to it). */
    static Behavior<Command> host() {
        long[] watches = {0};
        return Behaviors.receive((ctx, command) -> {
            switch (command) {
                case Populate p -> {
                    List<ActorRef<Object>> refs = new ArrayList<>(REFS_PER_MESSAGE);
                    for (int i = 0; i < p.count(); i++) {
                        refs.add(ctx.spawn(Behaviors.ignore(), "idle-" + i));
                        if (refs.size() == REFS_PER_MESSAGE || i == p.count() - 1) {
                            p.replyTo().tell(new Refs(List.copyOf(refs)));
                            refs.clear();
                        }
                    }
                    p.replyTo().tell(new Done(p.count()));
                }
                case WatchAll w -> {
                    w.targets().forEach(ctx::watch);
                    watches[0] += w.targets().size();
                    w.replyTo().tell(new Done(watches[0]));
                }
                case Heap h -> h.replyTo().tell(new Used(usedHeap()));
                case Threads t -> t.replyTo().tell(new ThreadCpu(threadCpu()));
            }
            return Behaviors.same();
        });
    }

    private static Map<String, Long> threadCpu() {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Map<String, Long> nanos = new HashMap<>();
        for (ThreadInfo info : bean.getThreadInfo(bean.getAllThreadIds())) {
            long cpu = info == null ? -1 : bean.getThreadCpuTime(info.getThreadId());
            if (cpu > 0) {
                nanos.merge(info.getThreadName().replaceAll("-\\d+$", "-N"), cpu, Long::sum);
            }
        }
        return nanos;
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    public static void main(String[] args) throws Exception {
        int actors = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        if (actors < 1 || seconds < 1) {
            throw new IllegalArgumentException("actors=" + actors + " and seconds=" + seconds + " must be >= 1");
        }
        Path base = Files.createTempDirectory(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                : Path.of(System.getProperty("java.io.tmpdir")), "millrace-idle-");
        try {
            run(base, actors, seconds).forEach(System.out::println);
        } finally {
            delete(base);
        }
    }

    /** Runs both measurements in {@code base}; returns the idle node's figures, then the watching node's. */
    public static List<Figures> run(Path base, int actors, int seconds) throws Exception {
        ActorSystemConfig config = ActorSystemConfig.defaults().withBaseDirectory(base).withDispatcherThreads(1);
        BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
        try (ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "idle-probe", config);
             RemoteNode idle = get(system.spawnNode(NodeSpec.named("idle-actors").withDispatcherThreads(2)));
             RemoteNode watching = get(system.spawnNode(NodeSpec.named("idle-watches").withDispatcherThreads(2)))) {
            ActorRef<Object> inbox = system.systemActorOf(Behaviors.receiveMessage(m -> {
                replies.add(m);
                return Behaviors.same();
            }), "inbox");
            ActorRef<Command> idleHost = get(idle.spawn(IdleProbe::host, "host"));
            ActorRef<Command> watchHost = get(watching.spawn(IdleProbe::host, "host"));
            List<Figures> figures = new ArrayList<>();

            long before = heap(idleHost, inbox, replies);
            idleHost.tell(new Populate(actors, inbox));
            List<ActorRef<Object>> targets = new ArrayList<>(actors);
            for (Object reply = take(replies); !(reply instanceof Done); reply = take(replies)) {
                targets.addAll(((Refs) reply).refs());
            }
            long after = heap(idleHost, inbox, replies); // the children's Start handled by now (behind Populate)
            figures.add(cpu("idle node with " + actors + " actors", idle, idleHost, inbox, replies, seconds, before,
                    after, actors, "actor"));

            before = heap(watchHost, inbox, replies);
            for (int i = 0; i < targets.size(); i += REFS_PER_MESSAGE) {
                watchHost.tell(new WatchAll(List.copyOf(targets.subList(i, Math.min(targets.size(),
                        i + REFS_PER_MESSAGE))), inbox));
                take(replies);
            }
            after = heap(watchHost, inbox, replies);
            figures.add(cpu("idle node with " + actors + " watches of another node's actors", watching, watchHost,
                    inbox, replies, seconds, before, after, actors, "watch"));
            figures.add(cpu("the watched node, next", idle, idleHost, inbox, replies, seconds, 0, 0, 0, ""));
            return figures;
        }
    }

    private static Map<String, Long> threadCpu(ActorRef<Command> host, ActorRef<Object> inbox,
                                               BlockingQueue<Object> replies) throws InterruptedException {
        host.tell(new Threads(inbox));
        return ((ThreadCpu) take(replies)).nanos();
    }

    private static long heap(ActorRef<Command> host, ActorRef<Object> inbox, BlockingQueue<Object> replies)
            throws InterruptedException {
        host.tell(new Heap(inbox));
        return ((Used) take(replies)).bytes();
    }

    private static Figures cpu(String what, RemoteNode node, ActorRef<Command> host, ActorRef<Object> inbox,
                               BlockingQueue<Object> replies, int seconds, long heapBefore, long heapAfter, int count,
                               String unit) throws IOException, InterruptedException {
        Thread.sleep(SETTLE_MILLIS); // settle: the last replies, the GC of the heap query, JIT compiles
        long pid = node.pid();
        Map<String, Long> threads = threadCpu(host, inbox, replies);
        long start = System.nanoTime();
        long ticks = cpuTicks(Path.of("/proc/" + pid + "/stat"));
        Thread.sleep(seconds * 1000L);
        ticks = cpuTicks(Path.of("/proc/" + pid + "/stat")) - ticks;
        double wall = (System.nanoTime() - start) / 1e9;
        Map<String, Long> spent = new HashMap<>();
        threadCpu(host, inbox, replies).forEach((name, t) -> spent.merge(name, t - threads.getOrDefault(name, 0L),
                Long::sum));
        String busiest = spent.entrySet().stream().filter(e -> e.getValue() >= 1_000_000)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(5)
                .map(e -> String.format("%s %d ms", e.getKey(), e.getValue() / 1_000_000))
                .collect(Collectors.joining(", "));
        return new Figures(what, pid, 100.0 * ticks / TICKS_PER_SECOND / wall, ticks, wall, heapBefore, heapAfter,
                count, unit, busiest.isEmpty() ? "none" : busiest);
    }

    /** {@code utime + stime} of a process or thread, in ticks: fields 14 and 15 of its {@code stat}. */
    static long cpuTicks(Path stat) throws IOException {
        String text = Files.readString(stat);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" "); // fields from 3 on
        return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    }

    private static Object take(BlockingQueue<Object> replies) throws InterruptedException {
        Object reply = replies.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (reply == null) {
            throw new IllegalStateException("no reply within " + WAIT);
        }
        return reply;
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static void delete(Path base) throws IOException {
        try (Stream<Path> files = Files.walk(base)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
