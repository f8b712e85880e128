package io.millrace.actors;

import io.millrace.actors.NodeMessages.Blob;
import io.millrace.actors.NodeMessages.Cmd;
import io.millrace.actors.NodeMessages.Forward;
import io.millrace.actors.NodeMessages.Ignore;
import io.millrace.actors.NodeMessages.Ping;
import io.millrace.actors.NodeMessages.Pong;
import io.millrace.actors.NodeMessages.Refs;
import io.millrace.actors.NodeMessages.Register;
import io.millrace.actors.NodeMessages.Seq;
import io.millrace.actors.NodeMessages.Stop;
import io.millrace.actors.codec.UnsupportedMessageException;
import io.millrace.actors.remote.NodeRegion;
import io.millrace.shm.ChildJvm;
import io.millrace.shm.MessageTooLargeException;
import io.millrace.shm.OfferStatus;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Actors of different JVMs exchanging messages through the node regions of one base directory. */
class CrossNodeTest extends ActorTestKit {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private ChildJvm serve(String name) throws InterruptedException {
        ChildJvm child = ChildJvm.start(NodeChild.class, "serve", shm.path().toString(), name);
        child.awaitLine("READY", WAIT);
        return child;
    }

    private ActorRef<Cmd> find(ActorSystem<?> system, ServiceKey<Cmd> key) {
        Set<ActorRef<Cmd>> found = Receptionist.lookup(system, key, WAIT);
        assertThat(found).hasSize(1);
        return found.iterator().next();
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** Tells the child's echo to terminate its system and waits for the child to end. */
    private static void stop(ChildJvm child, ActorRef<Cmd> echo) throws InterruptedException {
        echo.tell(new Stop());
        assertThat(child.awaitExit(WAIT)).as(String.join("\n", child.transcript())).isZero();
    }

    private ActorSystem<Cmd> parent() {
        ActorSystem<Cmd> system = system(NodeMessages.echo("parent"), smallConfig().withBaseDirectory(shm.path()));
        system.receptionist().tell(Receptionist.register(NodeMessages.echoKey("parent"), system));
        return system;
    }

    @Test
    void shouldTellAndAskAcrossProcessesInBothDirections() throws Exception {
        ActorSystem<Cmd> system = parent();
        try (ChildJvm child = serve("c1")) {
            ActorRef<Cmd> echo = find(system, NodeMessages.echoKey("c1"));
            assertThat(echo.path().node()).isNotEqualTo(system.nodeId());
            Pong pong = get(AskPattern.<Cmd, Pong>ask(echo, r -> new Ping(1, r), WAIT, system));
            assertThat(pong).isEqualTo(new Pong(1, "c1"));
            try (ChildJvm asker = ChildJvm.start(NodeChild.class, "ask", shm.path().toString(), "c2", "echo-parent")) {
                assertThat(asker.awaitLine("REPLY", WAIT)).isEqualTo("REPLY 7 parent");
                assertThat(asker.awaitExit(WAIT)).isZero();
            }
            stop(child, echo);
        }
    }

    @Test
    void shouldPassRefsInsideMessagesToAThirdProcess() throws Exception {
        ActorSystem<Cmd> system = parent();
        try (ChildJvm a = serve("a"); ChildJvm b = serve("b")) {
            ActorRef<Cmd> echoA = find(system, NodeMessages.echoKey("a"));
            ActorRef<Cmd> echoB = find(system, NodeMessages.echoKey("b"));
            // a gets b's ref and the parent's reply ref inside one message; b answers the parent directly
            Pong pong = get(AskPattern.<Cmd, Pong>ask(echoA, r -> new Forward(echoB, 5, r), WAIT, system));
            assertThat(pong).isEqualTo(new Pong(5, "b"));
            stop(a, echoA);
            stop(b, echoB);
        }
    }

    @Test
    void shouldKeepEachSendersOrderUnderThreeConcurrentSenderProcesses() throws Exception {
        ActorSystem<Cmd> system = parent();
        int count = 3000;
        CountDownLatch all = new CountDownLatch(3 * count);
        List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
        int[] next = new int[3];
        ActorRef<Cmd> sink = system.systemActorOf(Behaviors.receiveMessage(cmd -> {
            if (cmd instanceof Seq s) {
                if (s.n() != next[s.sender()]) {
                    violations.add("sender " + s.sender() + ": " + s.n() + " after " + (next[s.sender()] - 1));
                }
                next[s.sender()] = s.n() + 1;
                all.countDown();
            }
            return Behaviors.same();
        }), "sink");
        system.receptionist().tell(Receptionist.register(NodeMessages.SINK, sink));
        List<ChildJvm> senders = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                senders.add(ChildJvm.start(NodeChild.class, "send", shm.path().toString(), "s" + i, "" + i,
                        "" + count));
            }
            for (ChildJvm sender : senders) {
                assertThat(sender.awaitExit(WAIT)).as(String.join("\n", sender.transcript())).isZero();
            }
            assertThat(all.await(60, TimeUnit.SECONDS)).as("received " + (3L * count - all.getCount())).isTrue();
            assertThat(violations).isEmpty();
        } finally {
            for (ChildJvm sender : senders) {
                sender.close();
            }
        }
    }

    @Test
    void shouldDeliverToTenThousandActorsOfOneNodeFromAnotherProcess() throws Exception {
        ActorSystem<Cmd> system = parent();
        int actors = 10_000;
        int perActor = 3;
        CountDownLatch done = new CountDownLatch(actors);
        AtomicInteger outOfOrder = new AtomicInteger();
        List<ActorRef<Integer>> refs = new ArrayList<>();
        for (int i = 0; i < actors; i++) {
            int[] expected = {0};
            refs.add(system.systemActorOf(Behaviors.<Integer>receiveMessage(n -> {
                if (n != expected[0]++) {
                    outOfOrder.incrementAndGet();
                }
                if (expected[0] == perActor) {
                    done.countDown();
                }
                return Behaviors.same();
            }), "counter-" + i));
        }
        List<ActorRef<Integer>> all = List.copyOf(refs);
        ActorRef<Cmd> sink = system.systemActorOf(Behaviors.receiveMessage(cmd -> {
            if (cmd instanceof Register r) {
                r.replyTo().tell(new Refs(all)); // some 400 KB: longer than a ring record, sent in fragments
            }
            return Behaviors.same();
        }), "sink");
        system.receptionist().tell(Receptionist.register(NodeMessages.SINK, sink));
        try (ChildJvm flood = ChildJvm.start(NodeChild.class, "flood", shm.path().toString(), "f", "" + perActor)) {
            assertThat(flood.awaitLine("FLOODED", WAIT)).isEqualTo("FLOODED " + actors);
            assertThat(done.await(60, TimeUnit.SECONDS)).as("actors done " + (actors - done.getCount())).isTrue();
            assertThat(outOfOrder).hasValue(0);
            assertThat(flood.awaitExit(WAIT)).isZero();
        }
    }

    @Test
    void shouldSeeRegistrationsOfOtherNodesComeAndGo() throws Exception {
        ActorSystem<Cmd> system = parent();
        BlockingQueue<Set<ActorRef<Cmd>>> listings = new LinkedBlockingQueue<>();
        ActorRef<Receptionist.Listing> subscriber = system.systemActorOf(Behaviors.receiveMessage(listing -> {
            listings.add(listing.getServiceInstances(NodeMessages.echoKey("c1")));
            return Behaviors.same();
        }), "subscriber");
        system.receptionist().tell(Receptionist.subscribe(NodeMessages.echoKey("c1"), subscriber));
        assertThat(listings.poll(60, TimeUnit.SECONDS)).isEmpty();
        try (ChildJvm child = serve("c1")) {
            Set<ActorRef<Cmd>> seen = listings.poll(60, TimeUnit.SECONDS);
            assertThat(seen).hasSize(1);
            ActorRef<Cmd> echo = seen.iterator().next();
            assertThat(echo.path().node()).isNotEqualTo(system.nodeId());
            assertThat(echo.path().system()).isEqualTo("c1");
            stop(child, echo);
            assertThat(listings.poll(60, TimeUnit.SECONDS)).isEmpty(); // its node deregistered at termination
        }
    }

    @Test
    void shouldRefuseBadInputWithANamedOutcome() throws Exception {
        ActorSystem<Cmd> system = system(NodeMessages.echo("parent"),
                smallConfig().withBaseDirectory(shm.path()).withMaxMessageBytes(1 << 20));
        BlockingQueue<DeadLetter> dead = new LinkedBlockingQueue<>();
        system.deadLetters().subscribe(dead::add);
        try (ChildJvm child = serve("c1")) {
            ActorRef<Cmd> echo = find(system, NodeMessages.echoKey("c1"));
            @SuppressWarnings({"unchecked", "rawtypes"})
            ActorRef<Object> untyped = (ActorRef) echo;
            assertThatThrownBy(() -> untyped.tell(new StringBuilder("not a record")))
                    .isInstanceOf(UnsupportedMessageException.class).hasMessageContaining("StringBuilder");
            assertThatThrownBy(() -> echo.tell(new Blob(new byte[2 << 20])))
                    .isInstanceOf(MessageTooLargeException.class).hasMessageContaining("maxMessageBytes=1048576")
                    .hasMessageMatching("(?s).*size=2097\\d{3} .*");
            echo.tell(new Blob(new byte[600_000])); // under the maximum, fragmented: delivered (and ignored)
            assertThatThrownBy(() -> Receptionist.lookup(system, NodeMessages.echoKey("nobody"),
                    Duration.ofMillis(300))).isInstanceOf(LookupTimeoutException.class)
                    .hasMessageContaining("key=echo-nobody");

            try (NodeRegion region = NodeRegion.attach(shm.directory(), echo.path().node(), WAIT)) {
                MemorySegment garbage = MemorySegment.ofArray(new long[4]);
                garbage.set(ValueLayout.JAVA_LONG, 0, echo.path().uid());
                garbage.set(ValueLayout.JAVA_LONG, 8, -1L);
                assertThat(region.laneOf(echo.path().uid()).send(1, garbage, WAIT)).isEqualTo(OfferStatus.ACCEPTED);
                Pong pong = get(AskPattern.<Cmd, Pong>ask(echo, r -> new Ping(2, r), WAIT, system));
                assertThat(pong).isEqualTo(new Pong(2, "c1"));
                assertThat(region.decodeErrors()).isEqualTo(1);
            }
            stop(child, echo);
            echo.tell(new Ping(3, system.systemActorOf(Behaviors.ignore(), "ignore-" + System.nanoTime())));
            DeadLetter letter = dead.poll(60, TimeUnit.SECONDS);
            assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.NODE_GONE);
            assertThat(letter.recipient()).isEqualTo(echo.path());
            CompletableFuture<Pong> late = AskPattern.<Cmd, Pong>ask(echo, r -> new Ping(4, r), WAIT, system)
                    .toCompletableFuture();
            assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(NodeGoneException.class);
        }
        system.close();
        long before = system.deadLetters().count();
        system.tell(new Stop());
        assertThat(system.deadLetters().count()).isEqualTo(before + 1);
    }

    @Test
    void shouldFailAsksPromptlyAndDeadLetterTellsWhenANodeIsKilled() throws Exception {
        ActorSystem<Cmd> system = parent();
        BlockingQueue<DeadLetter> dead = new LinkedBlockingQueue<>();
        system.deadLetters().subscribe(dead::add);
        try (ChildJvm child = serve("victim")) {
            ActorRef<Cmd> echo = find(system, NodeMessages.echoKey("victim"));
            assertThat(get(AskPattern.<Cmd, Pong>ask(echo, r -> new Ping(1, r), WAIT, system)).n()).isEqualTo(1);
            CompletableFuture<Pong> pending = AskPattern.<Cmd, Pong>ask(echo, Ignore::new, Duration.ofMinutes(5),
                    system).toCompletableFuture();
            BlockingQueue<Object> watched = new LinkedBlockingQueue<>();
            system.systemActorOf(Behaviors.<String>setup(ctx -> {
                ctx.watch(echo);
                watched.add("watching");
                return Behaviors.receive((c, m) -> Behaviors.same(), (c, signal) -> {
                    if (signal instanceof Terminated t) {
                        watched.add(t.ref());
                    }
                    return Behaviors.same();
                });
            }), "watcher");
            assertThat(watched.poll(60, TimeUnit.SECONDS)).isEqualTo("watching");
            long pid = child.pid();
            child.kill();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            assertThatThrownBy(() -> pending.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .satisfies(e -> failure.set(e.getCause()));
            assertThat(failure.get()).isInstanceOf(NodeGoneException.class).hasMessageContaining("pid=" + pid)
                    .hasMessageContaining("died").as("this system did not start it: no exit status")
                    .hasMessageContaining("status=unknown");
            assertThat(watched.poll(60, TimeUnit.SECONDS)).as("Terminated of the killed node's actor")
                    .isEqualTo(echo);
            echo.tell(new Ping(2, system.systemActorOf(Behaviors.ignore(), "ignore-" + System.nanoTime())));
            DeadLetter letter = dead.poll(60, TimeUnit.SECONDS);
            assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.NODE_GONE);
            // its registration outlives it in the host-wide table until a receptionist reclaims it
            BlockingQueue<Set<ActorRef<Cmd>>> listings = new LinkedBlockingQueue<>();
            ActorRef<Receptionist.Listing> subscriber = system.systemActorOf(Behaviors.receiveMessage(listing -> {
                listings.add(listing.getServiceInstances(NodeMessages.echoKey("victim")));
                return Behaviors.same();
            }), "subscriber");
            system.receptionist().tell(Receptionist.subscribe(NodeMessages.echoKey("victim"), subscriber));
            Set<ActorRef<Cmd>> listing = listings.poll(60, TimeUnit.SECONDS);
            while (listing != null && !listing.isEmpty()) {
                listing = listings.poll(60, TimeUnit.SECONDS);
            }
            assertThat(listing).as("a listing without the killed node's echo").isNotNull().isEmpty();
        }
    }

    @Test
    void shouldSpawnActorsOnAChildNodeWithShippedFactories() throws Exception {
        ActorSystem<Cmd> system = parent();
        try (RemoteNode node = get(system.spawnNode(NodeSpec.named("worker-1")))) {
            assertThat(node.nodeId()).isNotEqualTo(system.nodeId());
            String greeting = "on-worker-1"; // a captured value travels with the factory
            ActorRef<Cmd> echo = get(node.spawn(() -> NodeMessages.echo(greeting), "echo"));
            assertThat(echo.path().node()).isEqualTo(node.nodeId());
            assertThat(echo.path().path()).isEqualTo("/user/echo");
            assertThat(get(AskPattern.<Cmd, Pong>ask(echo, r -> new Ping(9, r), WAIT, system)))
                    .isEqualTo(new Pong(9, greeting));
            Object notSerializable = new Object();
            assertThatThrownBy(() -> node.spawn(() -> {
                notSerializable.hashCode();
                return NodeMessages.echo("x");
            }, "bad")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
            assertThatThrownBy(() -> get(node.spawn(() -> NodeMessages.echo("again"), "echo")))
                    .hasMessageContaining("name=echo");
            node.close();
            assertThat(get(node.whenExited())).isZero();
        }
    }
}
