package io.millrace.actors;

import io.millrace.actors.NodeMessages.Cmd;
import io.millrace.actors.NodeMessages.Ping;
import io.millrace.actors.NodeMessages.Pong;
import io.millrace.actors.NodeMessages.Refs;
import io.millrace.actors.NodeMessages.Register;
import io.millrace.actors.NodeMessages.Seq;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM node for {@link CrossNodeTest}: starts an actor system named {@code args[2]} in base directory
 * {@code args[1]} and, by mode {@code args[0]}:
 * <ul>
 *   <li>{@code serve}: its guardian is an echo ({@link NodeMessages#echo}) registered under
 *       {@code echo-<name>}; prints {@code READY <node>} and runs until told {@code Stop} (or its parent dies);</li>
 *   <li>{@code send <sender> <count>}: tells the {@code sink} actor {@code count} {@link Seq}s, prints SENT;</li>
 *   <li>{@code ask <key>}: asks the echo of key {@code args[3]} a {@link Ping} of 7, prints {@code REPLY n from};</li>
 *   <li>{@code flood <perActor>}: asks the {@code sink} for its {@link Refs} and tells each ref {@code perActor}
 *       integers, prints {@code FLOODED n}.</li>
 * </ul>
 * The child ends when its parent dies.
 */
public final class NodeChild {

    private NodeChild() {
    }

    public static void main(String[] args) throws Exception {
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
        String mode = args[0];
        String name = args[2];
        ActorSystemConfig config = ActorSystemConfig.defaults().withBaseDirectory(Path.of(args[1]))
                .withDispatcherThreads(2).withMailboxCapacity(1024);
        Duration timeout = Duration.ofSeconds(30);
        switch (mode) {
            case "serve" -> {
                ActorSystem<Cmd> system = ActorSystem.create(NodeMessages.echo(name), name, config);
                system.receptionist().tell(Receptionist.register(NodeMessages.echoKey(name), system));
                Receptionist.lookup(system, NodeMessages.echoKey(name), timeout);
                System.out.println("READY " + Long.toHexString(system.nodeId()));
                system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.MINUTES);
                System.out.println("TERMINATED");
            }
            case "send" -> {
                try (ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), name, config)) {
                    int sender = Integer.parseInt(args[3]);
                    int count = Integer.parseInt(args[4]);
                    ActorRef<Cmd> sink = Receptionist.lookup(system, NodeMessages.SINK, timeout).iterator().next();
                    System.out.println("FOUND");
                    for (int i = 0; i < count; i++) {
                        sink.tell(new Seq(sender, i));
                    }
                    System.out.println("SENT");
                }
            }
            case "ask" -> {
                try (ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), name, config)) {
                    ServiceKey<Cmd> key = ServiceKey.create(Cmd.class, args[3]);
                    ActorRef<Cmd> echo = Receptionist.lookup(system, key, timeout).iterator().next();
                    Pong pong = AskPattern.<Cmd, Pong>ask(echo, replyTo -> new Ping(7, replyTo), timeout,
                            system.scheduler()).toCompletableFuture().get(30, TimeUnit.SECONDS);
                    System.out.println("REPLY " + pong.n() + " " + pong.from());
                }
            }
            case "flood" -> {
                try (ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), name, config)) {
                    int perActor = Integer.parseInt(args[3]);
                    ActorRef<Cmd> sink = Receptionist.lookup(system, NodeMessages.SINK, timeout).iterator().next();
                    Refs refs = AskPattern.<Cmd, Refs>ask(sink, Register::new, timeout, system.scheduler())
                            .toCompletableFuture().get(30, TimeUnit.SECONDS);
                    for (int round = 0; round < perActor; round++) {
                        for (ActorRef<Integer> ref : refs.refs()) {
                            ref.tell(round);
                        }
                    }
                    System.out.println("FLOODED " + refs.refs().size());
                }
            }
            default -> throw new IllegalArgumentException("mode=" + mode);
        }
    }
}
