package io.millrace.perf.bench.systems;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.PingLoop;
import io.millrace.perf.bench.ProducerSequence;
import io.millrace.perf.bench.Role;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.StreamMeter;
import io.millrace.perf.bench.systems.PekkoActors.Ask;
import io.millrace.perf.bench.systems.PekkoActors.Msg;
import io.millrace.perf.bench.systems.PekkoActors.Outcome;
import io.millrace.perf.bench.systems.PekkoActors.ReceiverMessage;
import io.millrace.perf.bench.systems.PekkoActors.SenderMessage;
import io.millrace.perf.bench.systems.PekkoActors.Start;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Apache Pekko Typed 1.7.0, the actor peer. {@code pekko}: both actors in one JVM (actor-local, the local
 * mailbox path, no serialization). {@code pekko-artery}: one actor system per JVM, Artery remoting over TCP on
 * 127.0.0.1 (actor-tell, actor-fanin, actor-ask), messages serialized with Pekko's Jackson CBOR serializer.
 * Behaviours and messages are in {@link PekkoActors}; the receiving JVM reports its actor's ref (resolved with
 * {@link ActorRefResolver}) with {@code READY}. Ask uses {@link AskPattern#ask} from the pinger's thread, as a
 * Pekko user outside an actor would.
 */
public final class PekkoSystem implements BenchSystem {

    private static final String MARKER = PekkoActors.class.getName() + "$Cbor";

    private final String name;
    private final String transport;
    private final Set<Scenario> scenarios;

    private PekkoSystem(String name, String transport, Set<Scenario> scenarios) {
        this.name = name;
        this.transport = transport;
        this.scenarios = scenarios;
    }

    /** {@code pekko}: both actors in one JVM (actor-local only). */
    public static PekkoSystem local() {
        return new PekkoSystem("pekko", null, Set.of(Scenario.ACTOR_LOCAL));
    }

    /** {@code pekko-artery}: Artery over TCP between JVMs (actor-tell, actor-fanin, actor-ask). */
    public static PekkoSystem artery() {
        return new PekkoSystem("pekko-artery", "tcp",
                Set.of(Scenario.ACTOR_TELL, Scenario.ACTOR_FANIN, Scenario.ACTOR_ASK));
    }

    /** {@code pekko-aeron}: Artery over Aeron UDP (embedded media driver per JVM); see perf/README.md. */
    public static PekkoSystem aeron() {
        return new PekkoSystem("pekko-aeron", "aeron-udp",
                Set.of(Scenario.ACTOR_TELL, Scenario.ACTOR_FANIN, Scenario.ACTOR_ASK));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        String window = "sender window of " + PekkoActors.WINDOW + " unacknowledged messages, acked every "
                + PekkoActors.ACK_EVERY;
        return transport == null
                ? "Pekko Typed 1.7.0, sender and receiver actors in one ActorSystem (local tell, default dispatcher), "
                  + window
                : "Pekko Typed 1.7.0 over Artery " + transport + " on 127.0.0.1, one ActorSystem per JVM, records "
                  + "serialized with jackson-cbor; tell: " + window + "; ask: AskPattern.ask from the pinger thread";
    }

    @Override
    public List<String> jvmFlags() {
        // Pekko and Scala use sun.misc.Unsafe's memory access; JDK 24+ warns about it unless allowed. Artery's
        // buffers and queues are Agrona's (2.6.0 here, the version of the class path), which needs Agrona's flag;
        // Aeron's media driver needs the second of Aeron's documented pair.
        List<String> flags = new ArrayList<>(List.of("--sun-misc-unsafe-memory-access=allow"));
        if (transport != null) {
            flags.add("--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED");
        }
        if ("aeron-udp".equals(transport)) {
            flags.add("--add-opens=java.base/java.util.zip=ALL-UNNAMED");
        }
        return List.copyOf(flags);
    }

    @Override
    public Set<Scenario> scenarios() {
        return scenarios;
    }

    @Override
    public Optional<String> unsupported(Scenario scenario, int size) {
        return Optional.empty();
    }

    @Override
    public void run(RoleContext ctx) throws Exception {
        if (ctx.role() == Role.DRIVER) {
            local(ctx);
            return;
        }
        ctx.role().dispatch(() -> receive(ctx), () -> send(ctx), () -> respond(ctx), () -> ask(ctx));
    }

    /** The configuration of one JVM's actor system: quiet logs, and Artery on a free port of 127.0.0.1. */
    Config config(RoleContext ctx) {
        StringBuilder sb = new StringBuilder("""
                pekko.loglevel = WARNING
                pekko.stdout-loglevel = WARNING
                pekko.log-dead-letters = off
                pekko.log-dead-letters-during-shutdown = off
                pekko.coordinated-shutdown.exit-jvm = off
                """);
        if (transport == null) {
            sb.append("pekko.actor.provider = local\n");
        } else {
            sb.append("pekko.actor.provider = remote\n")
                    .append("pekko.remote.warn-about-direct-use = off\n")
                    .append("pekko.remote.artery.transport = ").append(transport).append('\n')
                    .append("pekko.remote.artery.canonical.hostname = \"127.0.0.1\"\n")
                    .append("pekko.remote.artery.canonical.port = 0\n")
                    .append("pekko.actor.serialization-bindings { \"").append(MARKER).append("\" = jackson-cbor }\n");
            if (transport.startsWith("aeron")) {
                sb.append("pekko.remote.artery.advanced.aeron.aeron-dir = \"")
                        .append(ctx.dir().resolve("aeron-" + ctx.role().id() + "-" + ctx.index())).append("\"\n");
            }
        }
        return ConfigFactory.parseString(sb.toString()).withFallback(ConfigFactory.load());
    }

    private static Duration budget(RoleContext ctx) {
        return Duration.ofMillis(ctx.warmupMs() + (long) ctx.reps() * ctx.repMs() + 60_000);
    }

    /** Starts an actor system whose guardian spawns {@code actor}; returns the system and the actor's ref. */
    private <T> Started<T> start(RoleContext ctx, Behavior<T> actor, String actorName) throws Exception {
        CompletableFuture<ActorRef<T>> ref = new CompletableFuture<>();
        Behavior<Void> guardian = Behaviors.setup(context -> {
            ref.complete(context.spawn(actor, actorName));
            return Behaviors.empty();
        });
        ActorSystem<Void> system = ActorSystem.create(guardian, "bench", config(ctx));
        return new Started<>(system, ref.get(30, TimeUnit.SECONDS));
    }

    private record Started<T>(ActorSystem<Void> system, ActorRef<T> ref) {
        String serialized() {
            return ActorRefResolver.get(system).toSerializationFormat(ref);
        }

        <U> ActorRef<U> resolve(String serialized) {
            return ActorRefResolver.get(system).resolveActorRef(serialized);
        }

        /** Terminates the system (Artery flushes what is queued first) and waits for it. */
        void stop() throws Exception {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private void local(RoleContext ctx) throws Exception {
        Outcome received = new Outcome();
        Outcome sent = new Outcome();
        Started<ReceiverMessage> receiver = start(ctx, PekkoActors.receiver(new StreamMeter(ctx), 1, received), "receiver");
        try {
            ActorRef<SenderMessage> sender = receiver.system().systemActorOf(PekkoActors.sender(
                    new ProducerSequence(ctx), 0, PekkoActors.payload(ctx.size()), receiver.ref(), sent),
                    "sender", org.apache.pekko.actor.typed.Props.empty());
            ctx.ready();
            ctx.awaitGo();
            sender.tell(new Start());
            received.await(budget(ctx));
            sent.await(budget(ctx));
        } finally {
            receiver.stop();
        }
    }

    private void receive(RoleContext ctx) throws Exception {
        Outcome outcome = new Outcome();
        Started<ReceiverMessage> receiver = start(ctx,
                PekkoActors.receiver(new StreamMeter(ctx), ctx.scenario().producers(), outcome), "receiver");
        try {
            ctx.ready(Map.of("ref", receiver.serialized()));
            outcome.await(budget(ctx));
        } finally {
            receiver.stop();
        }
    }

    private void send(RoleContext ctx) throws Exception {
        Outcome outcome = new Outcome();
        // the sender needs the receiver's ref, which needs a system to resolve it: start with a placeholder actor
        Started<Void> placeholder = start(ctx, Behaviors.empty(), "placeholder");
        try {
            ActorRef<ReceiverMessage> target = placeholder.resolve(ctx.readyProperty("ref"));
            ActorRef<SenderMessage> sender = placeholder.system().systemActorOf(PekkoActors.sender(
                    new ProducerSequence(ctx), ctx.index(), PekkoActors.payload(ctx.size()), target, outcome),
                    "sender", org.apache.pekko.actor.typed.Props.empty());
            ctx.ready();
            ctx.awaitGo();
            sender.tell(new Start());
            outcome.await(budget(ctx));
        } finally {
            placeholder.stop();
        }
    }

    private void respond(RoleContext ctx) throws Exception {
        Outcome outcome = new Outcome();
        Started<ReceiverMessage> responder = start(ctx, PekkoActors.responder(outcome), "responder");
        try {
            ctx.ready(Map.of("ref", responder.serialized()));
            outcome.await(budget(ctx));
        } finally {
            responder.stop();
        }
    }

    private void ask(RoleContext ctx) throws Exception {
        Started<Void> asker = start(ctx, Behaviors.empty(), "placeholder");
        try {
            ActorRef<ReceiverMessage> responder = asker.resolve(ctx.readyProperty("ref"));
            byte[] payload = PekkoActors.payload(ctx.size());
            Duration timeout = Duration.ofSeconds(10);
            var scheduler = asker.system().scheduler();
            ctx.ready();
            ctx.awaitGo();
            PingLoop.run(ctx, header -> {
                Function<ActorRef<Msg>, ReceiverMessage> request = replyTo -> new Ask(header, payload, replyTo);
                Msg reply = AskPattern.<ReceiverMessage, Msg>ask(responder, request::apply, timeout, scheduler)
                        .toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                PingLoop.checkEcho(header, reply.header());
            });
        } finally {
            asker.stop();
        }
    }
}
