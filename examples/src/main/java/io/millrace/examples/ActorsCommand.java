package io.millrace.examples;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.AskPattern;
import io.millrace.actors.Behaviors;
import io.millrace.actors.NodeSpec;
import io.millrace.actors.RemoteNode;
import io.millrace.examples.ActorsExample.Done;
import io.millrace.examples.ActorsExample.Play;
import io.millrace.examples.ActorsExample.Serve;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import static io.millrace.examples.ActorsExample.player;
import static io.millrace.examples.Formats.count;

/**
 * {@code millrace actors}: the rally of {@link ActorsExample}, timed, in a chosen base directory. This JVM starts
 * two child JVM nodes, spawns a player actor on each (its behavior shipped as a serializable lambda), and asks the first to play a rally of {@code --rounds} balls with the second;
 * every ball crosses processes through the nodes' shared-memory lane rings, and the last one's receiver reports to
 * this JVM's ask. The nodes are stopped and every file removed at the end.
 */
@Command(name = "actors", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Actors in two child JVMs play a rally through shared memory; this JVM referees.")
final class ActorsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", paramLabel = "N", description = "Balls in the rally (default: 10,000).")
    int rounds = 10_000;

    @Option(names = "--dir", paramLabel = "PATH",
            description = "Base directory of the nodes (default: $MILLRACE_DIR, else /dev/shm/millrace-$USER).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Options.atLeast(spec, "--rounds", rounds, 1);
        Path base = Options.directory(spec, "--dir", dir);
        Files.createDirectories(base);
        PrintWriter out = spec.commandLine().getOut();
        ActorSystemConfig config = ActorSystemConfig.defaults().withBaseDirectory(base).withDispatcherThreads(1);
        try (ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "referee", config)) {
            CompletableFuture<RemoteNode> pingNode = system.spawnNode(NodeSpec.named("ping")).toCompletableFuture();
            CompletableFuture<RemoteNode> pongNode = system.spawnNode(NodeSpec.named("pong")).toCompletableFuture();
            try (RemoteNode ping = pingNode.get(60, TimeUnit.SECONDS);
                 RemoteNode pong = pongNode.get(60, TimeUnit.SECONDS)) {
                out.printf("nodes: ping pid %d, pong pid %d, referee pid %d%n", ping.pid(), pong.pid(),
                        ProcessHandle.current().pid());
                ActorRef<Play> pinger = ping.spawn(() -> player("ping"), "player").toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                ActorRef<Play> ponger = pong.spawn(() -> player("pong"), "player").toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                out.printf("players: %s and %s%n", pinger.path(), ponger.path());
                long start = System.nanoTime();
                Done done = AskPattern.<Play, Done>ask(pinger, report -> new Serve(ponger, rounds, report),
                        Duration.ofMinutes(5), system).toCompletableFuture().get(5, TimeUnit.MINUTES);
                long nanos = System.nanoTime() - start;
                out.printf("rally of %s balls between two processes: last hit by %s, %s µs per ball%n",
                        count(rounds), done.lastHitBy(), String.format("%.1f", nanos / 1000.0 / rounds));
            }
        }
        out.println("nodes stopped, files removed");
        return 0;
    }
}
