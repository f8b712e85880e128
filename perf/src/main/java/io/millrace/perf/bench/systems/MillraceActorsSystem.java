package io.millrace.perf.bench.systems;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.ActorContext;
import io.millrace.actors.AskPattern;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;
import io.millrace.actors.MailboxFullPolicy;
import io.millrace.actors.Receptionist;
import io.millrace.actors.ServiceKey;
import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.Header;
import io.millrace.perf.bench.PingLoop;
import io.millrace.perf.bench.ProducerSequence;
import io.millrace.perf.bench.Role;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.Spin;
import io.millrace.perf.bench.StreamMeter;
import io.millrace.perf.bench.systems.PekkoActors.Outcome;
import io.millrace.shm.WaitStrategy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Millrace's actors (io.millrace.actors) in the actor scenarios: one actor system (node) per JVM in a base
 * directory inside the trial directory, one dispatcher thread, the busy-spin wait strategy. The receiving node
 * registers its actor with the host-wide receptionist; the others find it with {@link Receptionist#lookup}.
 *
 * <p>Streams (actor-tell, actor-fanin, actor-local): a sender actor per producer tells {@link Msg}s, a 64 B-class
 * record of six longs, to one receiver actor, which feeds their headers to a {@link StreamMeter} (each producer's
 * messages once and in order). The sender sends {@value #BURST} messages per turn and tells itself to go on, so a
 * lane thread is never held by one actor and a sender and its receiver can share one lane (actor-local). No window
 * and no acknowledgements: a tell waits (busy spin, up to {@value #FULL_WAIT_SECONDS} s) while the receiver's
 * mailbox ring is full, which is the back-pressure. Ask (actor-ask): {@link AskPattern#ask} from the pinger's thread,
 * as {@link PekkoSystem} does, the pinger spinning on the future ({@link Spin}); the responder replies with a
 * {@link Msg}.
 */
public final class MillraceActorsSystem implements BenchSystem {

    /** The system's name in {@code --systems}. */
    public static final String NAME = "millrace-actors";
    /** The same with {@link WaitStrategy#yielding()}: three spinning threads (ask) on two CPUs wait for ticks. */
    public static final String YIELDING_NAME = "millrace-actors-yielding";
    /** actor-ask only, asked from inside an actor ({@link ActorContext#ask}): only the two lane threads spin. */
    public static final String IN_ACTOR_NAME = "millrace-actors-a2a";
    /** Messages a sender tells per turn before it tells itself to go on. */
    static final int BURST = 256;
    /** How long a tell waits for room in a full mailbox before the message would be a dead letter. */
    static final int FULL_WAIT_SECONDS = 30;
    /** The only size: the record below encodes to a 64 B-class message. */
    static final int SIZE = 64;

    private static final Set<Scenario> SCENARIOS =
            Collections.unmodifiableSet(EnumSet.copyOf(Scenario.of(Scenario.Family.ACTOR)));
    private static final ServiceKey<In> RECEIVER = ServiceKey.create(In.class, "bench-receiver");
    private static final Duration LOOKUP = Duration.ofSeconds(30);

    /** What the receiver and the responder take. */
    public sealed interface In permits Msg, Ask {
    }

    /** One benchmark message: the harness's header (producer and sequence, or a marker), the producer, payload. */
    public record Msg(long header, long producer, long a, long b, long c, long d) implements In {
    }

    /** A request of actor-ask; answered with a {@link Msg} of the same header. */
    public record Ask(long header, long a, long b, long c, ActorRef<Msg> replyTo) implements In {
    }

    /** What a sender takes: go on sending. */
    public record Go() {
    }

    /** A reply (or the ask's failure) as the in-actor asker takes it. */
    public record Reply(Msg msg, Throwable failure) {
    }

    private final String name;
    private final WaitStrategy wait;
    private final boolean askInActor;

    private MillraceActorsSystem(String name, WaitStrategy wait, boolean askInActor) {
        this.name = name;
        this.wait = wait;
        this.askInActor = askInActor;
    }

    /** {@code millrace-actors}: the dispatcher threads busy-spin ({@link WaitStrategy#busySpin()}). */
    public static MillraceActorsSystem busySpin() {
        return new MillraceActorsSystem(NAME, WaitStrategy.busySpin(), false);
    }

    /** {@code millrace-actors-yielding}: the same with {@link WaitStrategy#yielding()}. */
    public static MillraceActorsSystem yielding() {
        return new MillraceActorsSystem(YIELDING_NAME, WaitStrategy.yielding(), false);
    }

    /**
     * {@code millrace-actors-a2a}: actor-ask only, busy spin, the ask made by an actor with {@link ActorContext#ask}
     * (the next one from the reply's handler), the pinger's main thread blocked: two spinning threads, not three.
     */
    public static MillraceActorsSystem askInActor() {
        return new MillraceActorsSystem(IN_ACTOR_NAME, WaitStrategy.busySpin(), true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "Millrace actors (io.millrace.actors), one ActorSystem per JVM (actor-local: one), 1 dispatcher thread "
                + "per JVM, wait strategy " + wait + ", 64 B-class record Msg of six longs; tell: a sender actor tells "
                + BURST + " per turn, back-pressured by the mailbox ring (no acks); ask: "
                + (askInActor ? "ActorContext.ask from an actor of the pinger JVM (main thread blocked)"
                        : "AskPattern.ask from the pinger thread") + "; refs found with Receptionist.lookup";
    }

    @Override
    public Set<Scenario> scenarios() {
        return askInActor ? Set.of(Scenario.ACTOR_ASK) : SCENARIOS;
    }

    @Override
    public Optional<String> unsupported(Scenario scenario, int size) {
        return size == SIZE ? Optional.empty()
                : Optional.of("size=" + size + ": the message is a fixed record of six longs (64 B class)");
    }

    @Override
    public void run(RoleContext ctx) throws Exception {
        if (ctx.role() == Role.DRIVER) {
            local(ctx);
            return;
        }
        ctx.role().dispatch(() -> receive(ctx), () -> send(ctx), () -> respond(ctx), () -> ask(ctx));
    }

    private ActorSystemConfig config(RoleContext ctx) throws Exception {
        Path base = ctx.dir().resolve("millrace-actors");
        Files.createDirectories(base, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return ActorSystemConfig.defaults().withBaseDirectory(base).withDispatcherThreads(1)
                .withWaitStrategy(wait)
                .withMailboxFullPolicy(MailboxFullPolicy.waitUpTo(Duration.ofSeconds(FULL_WAIT_SECONDS)));
    }

    private static Duration budget(RoleContext ctx) {
        return Duration.ofMillis(ctx.warmupMs() + (long) ctx.reps() * ctx.repMs() + 60_000);
    }

    /** The receiver: meters every message; completes {@code outcome} after the last repetition and stops. */
    static Behavior<In> receiver(StreamMeter meter, Outcome outcome) {
        return Behaviors.receive((context, in) -> {
            try {
                meter.onHeader(((Msg) in).header());
            } catch (RuntimeException e) {
                outcome.fail(e);
                return Behaviors.stopped();
            }
            if (meter.done()) {
                outcome.complete();
                return Behaviors.stopped();
            }
            return Behaviors.same();
        });
    }

    /** A sender: on each {@link Go}, tells {@code target} up to {@value #BURST} messages, then itself another Go. */
    static Behavior<Go> sender(ProducerSequence sequence, int producer, ActorRef<In> target, Outcome outcome) {
        return Behaviors.receive((context, go) -> {
            try {
                for (int i = 0; i < BURST && sequence.hasNext(); i++) {
                    long h = sequence.next();
                    target.tell(new Msg(h, producer, h + 1, h + 2, h + 3, h + 4));
                }
            } catch (RuntimeException e) {
                outcome.fail(e);
                return Behaviors.stopped();
            }
            if (sequence.hasNext()) {
                context.getSelf().tell(go);
                return Behaviors.same();
            }
            outcome.complete();
            return Behaviors.stopped();
        });
    }

    /** The ask responder: replies to every {@link Ask}; completes {@code outcome} after replying to the stop. */
    static Behavior<In> responder(Outcome outcome) {
        return Behaviors.receive((context, in) -> {
            Ask ask = (Ask) in;
            ask.replyTo().tell(new Msg(ask.header(), 0, ask.a(), ask.b(), ask.c(), 0));
            if (ask.header() == Header.STOP) {
                outcome.complete();
            }
            return Behaviors.same();
        });
    }

    /**
     * The in-actor pinger: asks {@code responder} with {@link ActorContext#ask}, and from each reply's handler
     * records the round trip ({@code rounds}) and asks the next; completes {@code outcome} after the stop's reply.
     */
    static Behavior<Reply> asker(ActorRef<In> responder, PingLoop.Rounds rounds, Duration timeout, Outcome outcome) {
        return Behaviors.setup(context -> {
            long[] sent = {rounds.first()};
            ask(context, responder, sent[0], timeout);
            return Behaviors.receive((c, reply) -> {
                if (reply.failure() != null) {
                    outcome.fail(reply.failure());
                    return Behaviors.stopped();
                }
                try {
                    PingLoop.checkEcho(sent[0], reply.msg().header());
                    if (sent[0] == Header.STOP) {
                        outcome.complete();
                        return Behaviors.stopped();
                    }
                    sent[0] = rounds.echoed();
                    ask(c, responder, sent[0], timeout);
                    return Behaviors.same();
                } catch (RuntimeException e) {
                    outcome.fail(e);
                    return Behaviors.stopped();
                }
            });
        });
    }

    private static void ask(ActorContext<Reply> context, ActorRef<In> responder, long header, Duration timeout) {
        context.ask(Msg.class, responder, timeout, replyTo -> new Ask(header, 1, 2, 3, replyTo), Reply::new);
    }

    private void local(RoleContext ctx) throws Exception {
        Outcome received = new Outcome();
        Outcome sent = new Outcome();
        try (ActorSystem<In> system = ActorSystem.create(receiver(new StreamMeter(ctx), received), "bench-local",
                config(ctx))) {
            ActorRef<Go> sender = system.systemActorOf(sender(new ProducerSequence(ctx), 0, system, sent), "sender");
            ctx.ready();
            ctx.awaitGo();
            sender.tell(new Go());
            received.await(budget(ctx));
            sent.await(budget(ctx));
        }
    }

    /** Starts a node whose guardian is {@code guardian}, registered under the receiver key, and waits for it. */
    private ActorSystem<In> serve(RoleContext ctx, Behavior<In> guardian, String name) throws Exception {
        ActorSystem<In> system = ActorSystem.create(guardian, name, config(ctx));
        system.receptionist().tell(Receptionist.register(RECEIVER, system));
        Receptionist.lookup(system, RECEIVER, LOOKUP);
        return system;
    }

    private static ActorRef<In> find(ActorSystem<?> system) {
        return Receptionist.lookup(system, RECEIVER, LOOKUP).iterator().next();
    }

    private void receive(RoleContext ctx) throws Exception {
        Outcome outcome = new Outcome();
        try (ActorSystem<In> system = serve(ctx, receiver(new StreamMeter(ctx), outcome), "bench-consumer")) {
            ctx.ready();
            outcome.await(budget(ctx));
        }
    }

    private void send(RoleContext ctx) throws Exception {
        Outcome outcome = new Outcome();
        try (ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench-producer-" + ctx.index(),
                config(ctx))) {
            ActorRef<In> target = find(system);
            ActorRef<Go> sender = system.systemActorOf(
                    sender(new ProducerSequence(ctx), ctx.index(), target, outcome), "sender");
            ctx.ready();
            ctx.awaitGo();
            sender.tell(new Go());
            outcome.await(budget(ctx));
        }
    }

    private void respond(RoleContext ctx) throws Exception {
        Outcome outcome = new Outcome();
        try (ActorSystem<In> system = serve(ctx, responder(outcome), "bench-ponger")) {
            ctx.ready();
            outcome.await(budget(ctx));
        }
    }

    private void ask(RoleContext ctx) throws Exception {
        try (ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "bench-pinger", config(ctx))) {
            ActorRef<In> responder = find(system);
            Duration timeout = Duration.ofSeconds(10);
            ctx.ready();
            ctx.awaitGo();
            if (askInActor) {
                Outcome outcome = new Outcome();
                system.systemActorOf(asker(responder, new PingLoop.Rounds(ctx), timeout, outcome), "asker");
                outcome.await(budget(ctx));
                return;
            }
            PingLoop.run(ctx, header -> {
                CompletableFuture<Msg> future = AskPattern.<In, Msg>ask(responder,
                        replyTo -> new Ask(header, 1, 2, 3, replyTo), timeout, system.scheduler()).toCompletableFuture();
                while (!future.isDone()) {
                    Spin.idle(); // spin like the other pingers: a parked thread waits for a CPU on 2 cores
                }
                Msg reply = future.get(0, TimeUnit.MILLISECONDS);
                PingLoop.checkEcho(header, reply.header());
            });
        }
    }
}
