package io.millrace.examples;

import java.time.Duration;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.AskPattern;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;
import io.millrace.actors.NodeSpec;
import io.millrace.actors.RemoteNode;

import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;

/** Two actors in two child JVMs play a rally of balls through shared memory; this JVM asks who hit the last. */
public final class ActorsExample {
    /** What a player takes: records and sealed interfaces, encoded straight into the recipient's ring. */
    public sealed interface Play permits Serve, Ball {
    }

    /** Starts a rally of {@code rounds} balls with {@code partner}; {@code report} gets its end. */
    public record Serve(ActorRef<Play> partner, int rounds, ActorRef<Done> report) implements Play {
    }

    /** A ball with {@code left} more hits to go. */
    public record Ball(int left, ActorRef<Play> from, ActorRef<Done> report) implements Play {
    }

    /** The rally's end: who hit the last ball. */
    public record Done(String lastHitBy) {
    }

    private ActorsExample() {
    }

    /** A player named {@code name}: returns each ball to whoever hit it, until the last. */
    static Behavior<Play> player(String name) {
        return Behaviors.receive((ctx, play) -> {
            switch (play) {
                case Serve s -> s.partner().tell(new Ball(s.rounds() - 1, ctx.getSelf(), s.report()));
                case Ball b when b.left() == 0 -> b.report().tell(new Done(name));
                case Ball b -> b.from().tell(new Ball(b.left() - 1, ctx.getSelf(), b.report()));
            }
            return Behaviors.same();
        });
    }

    /**
     * Plays a rally of {@code args[0]} balls (default 1,000) between nodes "ping" and "pong".
     *
     * @param args the number of balls, or nothing
     * @throws Exception if a node does not start or the rally does not end within a minute
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        // this JVM is a node too: its mailboxes are rings in /dev/shm/millrace-$USER (or -Dmillrace.dir)
        try (ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "referee");
             RemoteNode ping = system.spawnNode(NodeSpec.named("ping")).toCompletableFuture().get(1, MINUTES);
             RemoteNode pong = system.spawnNode(NodeSpec.named("pong")).toCompletableFuture().get(1, MINUTES)) {
            // each behavior travels to its child JVM as a serializable lambda; a ref works from any process
            ActorRef<Play> pinger = ping.spawn(() -> player("ping"), "player").toCompletableFuture().get(30, SECONDS);
            ActorRef<Play> ponger = pong.spawn(() -> player("pong"), "player").toCompletableFuture().get(30, SECONDS);
            Done done = AskPattern.<Play, Done>ask(pinger, report -> new Serve(ponger, rounds, report),
                    Duration.ofMinutes(1), system).toCompletableFuture().get(1, MINUTES);
            System.out.println("rally of " + rounds + " balls across two processes: last hit by " + done.lastHitBy());
        } // closing stops the child JVMs (nodes close before the system) and removes every file
    }
}
