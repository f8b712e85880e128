package io.millrace.actors;

import io.millrace.actors.JoinTest.Chunk;
import io.millrace.actors.JoinTest.Counts;
import io.millrace.actors.JoinTest.Done;
import io.millrace.actors.JoinTest.Shard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Lifecycle across processes with real child JVMs ({@code spawnNode}): children on other nodes, death watch of
 * actors that stop, fail or whose process is killed, and joins whose extract runs in the child JVM.
 */
class RemoteLifecycleTest extends ActorTestKit {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** What the remote test actor takes. */
    sealed interface Cmd permits Echo, Quit, Fail, NotifyOnStop {
    }

    record Echo(String text, ActorRef<Object> replyTo) implements Cmd {
    }

    record Quit() implements Cmd {
    }

    record Fail(String why) implements Cmd {
    }

    record NotifyOnStop(ActorRef<Object> probe) implements Cmd {
    }

    /** Echoes with its system's name, stops at Quit, throws at Fail, tells a probe of its PostStop. */
    static Behavior<Cmd> remoteActor() {
        ActorRef<?>[] onStop = new ActorRef<?>[1];
        return Behaviors.receive((ctx, cmd) -> switch (cmd) {
            case Echo e -> {
                e.replyTo().tell(e.text() + " from " + ctx.getSystem().name());
                yield Behaviors.same();
            }
            case Quit q -> Behaviors.stopped();
            case Fail f -> throw new IllegalStateException(f.why());
            case NotifyOnStop n -> {
                onStop[0] = n.probe();
                n.probe().tell("noted");
                yield Behaviors.same();
            }
        }, (ctx, signal) -> {
            if (signal instanceof PostStop && onStop[0] != null) {
                @SuppressWarnings("unchecked")
                ActorRef<Object> probe = (ActorRef<Object>) onStop[0];
                probe.tell("remote child stopped");
            }
            return Behaviors.same();
        });
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private final List<RemoteNode> nodes = new ArrayList<>();

    private RemoteNode node(ActorSystem<?> system, String name) throws Exception {
        RemoteNode node = get(system.spawnNode(NodeSpec.named(name).withDispatcherThreads(2)));
        nodes.add(node);
        return node;
    }

    /** Before the kit closes the systems: the child JVMs end first, so the last node out is this one. */
    @AfterEach
    void closeNodes() {
        nodes.forEach(RemoteNode::close);
    }

    /** A parent that spawns {@code child} on {@code node} at its start, watches it and reports what it sees. */
    private static Behavior<Object> parent(RemoteNode node, BehaviorFactory<Cmd> child, ActorRef<Object> probe) {
        return parent(Props.onNode(node), child, probe);
    }

    /** As above, on the node {@code props} names. */
    private static Behavior<Object> parent(Props props, BehaviorFactory<Cmd> child, ActorRef<Object> probe) {
        return Behaviors.setup(context -> {
            ActorRef<Cmd> ref = context.spawn(child, "child", props);
            ref.tell(new Echo("first", probe)); // right after the spawn: delivered behind it
            context.watch(ref);
            probe.tell(ref);
            probe.tell(context.getChildren());
            return Behaviors.receive((ctx, message) -> {
                if (message.equals("stop")) {
                    return Behaviors.stopped(() -> probe.tell("parent stopped"));
                }
                if (message.equals("stop child")) {
                    ctx.stop(ref);
                } else if (message instanceof Cmd cmd) {
                    ref.tell(cmd);
                }
                return Behaviors.same();
            }, (ctx, signal) -> {
                if (!(signal instanceof PostStop)) {
                    probe.tell(signal);
                }
                return Behaviors.same();
            });
        });
    }

    private record Family(ActorRef<Object> parent, ActorRef<Cmd> child) {
    }

    /** Starts {@link #parent} of a {@link #remoteActor} on {@code node}, once the child answered the first tell. */
    private static Family startParent(ActorSystem<?> system, RemoteNode node, TestProbe<Object> probe) {
        return startParent(system, Props.onNode(node), node.name(), probe);
    }

    private static Family startParent(ActorSystem<?> system, Props props, String nodeName, TestProbe<Object> probe) {
        ActorRef<Object> parent = system.systemActorOf(parent(props, RemoteLifecycleTest::remoteActor,
                probe.ref()), "parent");
        // the child's answer comes from another sender: it may overtake the parent's own two messages
        List<Object> first = List.of(probe.expectMessage(WAIT), probe.expectMessage(WAIT), probe.expectMessage(WAIT));
        @SuppressWarnings("unchecked")
        ActorRef<Cmd> child = (ActorRef<Cmd>) first.stream().filter(ActorRef.class::isInstance).findFirst()
                .orElseThrow();
        assertThat(first).containsExactlyInAnyOrder(child, List.of(child), "first from " + nodeName);
        return new Family(parent, child);
    }

    /** Another actor of this node that watches {@code target} and reports its signals. */
    private static void watchFrom(ActorSystem<?> system, ActorRef<?> target, TestProbe<Object> watcherProbe) {
        system.systemActorOf(Behaviors.setup(context -> {
            context.watch(target);
            watcherProbe.ref().tell("watching");
            return Behaviors.receive((ctx, m) -> Behaviors.same(), (ctx, signal) -> {
                watcherProbe.ref().tell(signal);
                return Behaviors.same();
            });
        }), "watcher");
        watcherProbe.expectMessage("watching");
    }

    @Test
    void shouldSpawnAChildOnAChildNodeDeliverTellsSentRightAfterAndSignalTerminatedWhenItStops()
            throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        RemoteNode node = node(system, "life-a");
        Family family = startParent(system, node, probe); // the first tell answered, the child among children
        ActorRef<Object> parent = family.parent();
        ActorRef<Cmd> child = family.child();
        assertThat(child.path().node()).isEqualTo(node.nodeId());
        assertThat(child.path().path()).isEqualTo("/user/child");
        parent.tell(new Quit());
        assertThat(probe.expectMessage(WAIT)).isEqualTo(new Terminated(child));
        parent.tell("stop");
        assertThat(probe.expectMessage(WAIT)).isEqualTo("parent stopped");
    }

    @Test
    void shouldSignalChildFailedWithTheRemoteExceptionsClassAndMessageWhenARemoteChildFails() throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        RemoteNode node = node(system, "life-b");
        Family family = startParent(system, node, probe);
        ActorRef<Object> parent = family.parent();
        ActorRef<Cmd> child = family.child();
        parent.tell(new Fail("boom in the child"));
        ChildFailed failed = (ChildFailed) probe.expectMessage(WAIT);
        assertThat(failed.ref()).isEqualTo(child);
        assertThat(failed.cause()).isInstanceOf(RemoteActorFailedException.class)
                .hasMessageContaining("java.lang.IllegalStateException: boom in the child");
        assertThat(((RemoteActorFailedException) failed.cause()).exceptionClassName())
                .isEqualTo(IllegalStateException.class.getName());
    }

    @Test
    void shouldRefuseAnUnshippableFactoryOrABehaviorWithANodeBeforeTheNodeIsAsked() throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        TestProbe<Object> localProbe = TestProbe.create(system); // another sender: its order is its own
        RemoteNode node = node(system, "life-c");
        Object notSerializable = new Object();
        system.systemActorOf(Behaviors.setup(context -> {
            try {
                context.spawn(() -> {
                    notSerializable.hashCode();
                    return remoteActor();
                }, "bad", Props.onNode(node));
            } catch (IllegalArgumentException e) {
                probe.ref().tell(e.getMessage());
            }
            try {
                context.spawn(remoteActor(), "bad", Props.onNode(node));
            } catch (IllegalArgumentException e) {
                probe.ref().tell(e.getMessage());
            }
            java.util.function.Function<Map<String, Integer>, Counts> plain = counts -> new Counts(counts);
            try {
                context.spawnJoinable(JoinTest::wordCounter, "bad", new Joinable<>(Counts.class, plain, null, null),
                        Props.onNode(node));
            } catch (IllegalArgumentException e) {
                probe.ref().tell(e.getMessage());
            }
            probe.ref().tell(context.getChildren());
            // without a node, the factory runs here
            ActorRef<Cmd> local = context.spawn(RemoteLifecycleTest::remoteActor, "local", Props.empty());
            local.tell(new Echo("here", localProbe.ref()));
            return Behaviors.empty();
        }), "parent");
        assertThat((String) probe.expectMessage(WAIT)).contains("java.lang.Object");
        assertThat((String) probe.expectMessage()).contains("node=life-c").contains("BehaviorFactory");
        assertThat((String) probe.expectMessage()).contains("the extract of joinable child name=bad cannot be shipped");
        assertThat(probe.expectMessage()).isEqualTo(List.of());
        assertThat(localProbe.expectMessage()).isEqualTo("here from " + system.name());
    }

    @Test
    void shouldStopRemoteChildrenWithTheirParentAndTellOtherWatchersTerminated() throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        TestProbe<Object> watcherProbe = TestProbe.create(system);
        RemoteNode node = node(system, "life-d");
        Family family = startParent(system, node, probe);
        ActorRef<Object> parent = family.parent();
        ActorRef<Cmd> child = family.child();
        child.tell(new NotifyOnStop(probe.ref()));
        assertThat(probe.expectMessage(WAIT)).isEqualTo("noted");
        watchFrom(system, child, watcherProbe);
        parent.tell("stop");
        assertThat(probe.receiveMessages(2)).containsExactlyInAnyOrder("remote child stopped", "parent stopped");
        assertThat(watcherProbe.expectMessage(WAIT)).isEqualTo(new Terminated(child));
    }

    @Test
    void shouldSignalChildFailedWithTheExitStatusAndTerminatedToOthersWhenTheChildsNodeIsKilled()
            throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        TestProbe<Object> watcherProbe = TestProbe.create(system);
        RemoteNode node = node(system, "life-e");
        ActorRef<Cmd> child = startParent(system, node, probe).child();
        watchFrom(system, child, watcherProbe);
        ActorRef<Object> silent = get(node.spawn(Behaviors::ignore, "silent"));
        CompletableFuture<Object> pending = AskPattern.<Object, Object>ask(silent, replyTo -> new Quit(), WAIT,
                system).toCompletableFuture();
        ProcessHandle.of(node.pid()).orElseThrow().destroyForcibly(); // SIGKILL
        ChildFailed failed = (ChildFailed) probe.expectMessage(WAIT);
        assertThat(failed.ref()).isEqualTo(child);
        assertThat(failed.cause()).isInstanceOf(NodeGoneException.class)
                .hasMessageContaining("pid=" + node.pid()).hasMessageContaining("status=-9");
        assertThat(watcherProbe.expectMessage(WAIT)).isEqualTo(new Terminated(child));
        assertThatThrownBy(() -> pending.get(30, TimeUnit.SECONDS)).as("the ask in flight, failed by the parent")
                .cause().isInstanceOf(NodeGoneException.class).hasMessageContaining("pid=" + node.pid())
                .hasMessageContaining("exited with status=-9");
    }

    /** Makes {@link #napper} tell {@code replyTo} "napping", then hold its lane thread for {@code millis}. */
    record Nap(long millis, ActorRef<Object> replyTo) {
    }

    /** A payload that fills a lane ring in a few tells. */
    record Bulk(byte[] bytes) {
    }

    static Behavior<Object> napper() {
        return Behaviors.receiveMessage(message -> {
            if (message instanceof Nap nap) {
                nap.replyTo().tell("napping");
                long end = System.nanoTime() + nap.millis() * 1_000_000L;
                for (long left = nap.millis(); left > 0; left = (end - System.nanoTime()) / 1_000_000L) {
                    java.util.concurrent.locks.LockSupport.parkNanos(left * 1_000_000L); // holds its lane thread
                }
            }
            return Behaviors.same();
        });
    }

    /** Spawns a {@link #napper} on {@code node} with {@code policy} in its Props, and sets it napping. */
    @SuppressWarnings("unchecked")
    private static ActorRef<Object> nappingOn(ActorSystem<?> system, RemoteNode node, MailboxFullPolicy policy,
                                              TestProbe<Object> probe) {
        system.systemActorOf(Behaviors.setup(context -> {
            probe.ref().tell(context.spawn(RemoteLifecycleTest::napper, "napper",
                    Props.onNode(node).withMailboxFullPolicy(policy)));
            return Behaviors.empty();
        }), "napper-parent");
        ActorRef<Object> napper = (ActorRef<Object>) probe.expectMessage(WAIT);
        napper.tell(new Nap(10_000, probe.ref()));
        assertThat(probe.expectMessage(WAIT)).isEqualTo("napping");
        return napper;
    }

    @Test
    void shouldThrowAtARemoteTellerWhenTheRecipientsPropsSayFailFastAndItsRingIsFull() throws Exception {
        ActorSystem<Void> system = system(); // its own default: wait up to 1 s, then dead-letter
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> napper = nappingOn(system, node(system, "full-fast"), MailboxFullPolicy.failFast(), probe);
        long before = system.deadLetters().count();
        MailboxFullException full = null;
        for (int i = 0; i < 1000 && full == null; i++) { // 16 MiB: 16 times the ring
            try {
                napper.tell(new Bulk(new byte[16 << 10]));
            } catch (MailboxFullException e) {
                full = e;
            }
        }
        assertThat(full).as("the recipient's fail-fast, not the sender's wait").isNotNull()
                .hasMessageContaining(napper.path().toString());
        assertThat(system.deadLetters().count()).as("no tell waited out the sender's policy").isEqualTo(before);
    }

    @Test
    void shouldDeadLetterARemoteTellAfterTheRecipientsWaitWhenTheSenderWouldFailFast() throws Exception {
        ActorSystem<Void> system = system(Behaviors.empty(), ActorTestKit.smallConfig()
                .withMailboxFullPolicy(MailboxFullPolicy.failFast()));
        TestProbe<Object> probe = TestProbe.create(system);
        java.util.concurrent.BlockingQueue<DeadLetter> dead = new java.util.concurrent.LinkedBlockingQueue<>();
        system.deadLetters().subscribe(dead::add);
        ActorRef<Object> napper = nappingOn(system, node(system, "full-wait"),
                MailboxFullPolicy.waitUpTo(Duration.ofMillis(20)), probe);
        for (int i = 0; i < 1000 && dead.isEmpty(); i++) {
            napper.tell(new Bulk(new byte[16 << 10])); // never throws: the recipient's policy waits, then dead-letters
        }
        DeadLetter letter = dead.poll(60, TimeUnit.SECONDS);
        assertThat(letter).isNotNull();
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.MAILBOX_FULL);
        assertThat(letter.recipient()).isEqualTo(napper.path());
    }

    @Test
    void shouldSpawnOnANodeGivenByIdAndReportItsDeathAsChildFailed() throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        RemoteNode node = node(system, "by-id");
        assertThatThrownBy(() -> Props.onNode(0)).hasMessageContaining("nodeId=0");
        system.systemActorOf(Behaviors.setup(context -> {
            for (long id : new long[] {system.nodeId(), 0x1234L}) {
                try {
                    context.spawn(RemoteLifecycleTest::remoteActor, "bad", Props.onNode(id));
                } catch (IllegalArgumentException e) {
                    probe.ref().tell(e.getMessage());
                }
            }
            return Behaviors.empty();
        }), "refused");
        assertThat((String) probe.expectMessage(WAIT)).contains("is this node");
        assertThat((String) probe.expectMessage()).contains("nodeId=1234 names no node");
        ActorRef<Cmd> child = startParent(system, Props.onNode(node.nodeId()), "by-id", probe).child();
        assertThat(child.path().system()).isEqualTo("by-id");
        ProcessHandle.of(node.pid()).orElseThrow().destroyForcibly();
        ChildFailed failed = (ChildFailed) probe.expectMessage(WAIT);
        assertThat(failed.ref()).isEqualTo(child);
        assertThat(failed.cause()).isInstanceOf(NodeGoneException.class).hasMessageContaining("node=by-id")
                .hasMessageContaining("whose process died");
    }

    @Test
    void shouldNotSignalTerminatedAfterAnUnwatchAcrossProcesses() throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        TestProbe<Object> watcherProbe = TestProbe.create(system);
        RemoteNode node = node(system, "life-f");
        Family family = startParent(system, node, probe);
        ActorRef<Object> parent = family.parent();
        ActorRef<Cmd> child = family.child();
        ActorRef<Cmd> other = get(node.spawn(RemoteLifecycleTest::remoteActor, "other"));
        ActorRef<String> watcher = system.systemActorOf(Behaviors.setup(context -> {
            context.watch(child);
            context.unwatch(child);
            context.watch(other);
            watcherProbe.ref().tell("ready");
            return Behaviors.receive((ctx, m) -> {
                other.tell(new Quit());
                return Behaviors.same();
            }, (ctx, signal) -> {
                watcherProbe.ref().tell(signal);
                return Behaviors.same();
            });
        }), "watcher");
        watcherProbe.expectMessage("ready");
        parent.tell(new Quit());
        assertThat(probe.expectMessage(WAIT)).isEqualTo(new Terminated(child));
        watcher.tell("now stop the other");
        assertThat(watcherProbe.expectMessage(WAIT)).as("only the actor still watched").isEqualTo(
                new Terminated(other));
        watcherProbe.expectNoMessageQueued();
    }

    /** The strategies of the supervision test, by name (what a shipped factory may capture). */
    enum Strategy { RESUME, RESTART, BACKOFF, STOP }

    /** Counts echoes; throws at Fail; supervised by {@code strategy}. */
    static Behavior<Cmd> supervisedCounter(Strategy strategy) {
        Behavior<Cmd> counter = Behaviors.setup(context -> {
            int[] echoes = {0};
            return Behaviors.receiveMessage(cmd -> {
                switch (cmd) {
                    case Echo e -> e.replyTo().tell(e.text() + " " + ++echoes[0]);
                    case Fail f -> throw new IllegalStateException(f.why());
                    default -> {
                    }
                }
                return Behaviors.same();
            });
        });
        SupervisorStrategy chosen = switch (strategy) {
            case RESUME -> SupervisorStrategy.resume();
            case RESTART -> SupervisorStrategy.restart();
            case BACKOFF -> SupervisorStrategy.restartWithBackoff(Duration.ofMillis(10), Duration.ofMillis(20), 0);
            case STOP -> SupervisorStrategy.stop();
        };
        return Behaviors.supervise(counter).onFailure(IllegalStateException.class, chosen);
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void shouldSuperviseAChildInAChildJvmByEachStrategy(Strategy strategy) throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        RemoteNode node = node(system, "supervised-" + strategy.name().toLowerCase());
        ActorRef<Object> parent = system.systemActorOf(parent(node, () -> supervisedCounter(strategy),
                probe.ref()), "parent");
        List<Object> first = List.of(probe.expectMessage(WAIT), probe.expectMessage(WAIT), probe.expectMessage(WAIT));
        assertThat(first).contains("first 1");
        parent.tell(new Fail("supervised failure"));
        parent.tell(new Echo("after", probe.ref()));
        switch (strategy) {
            case RESUME -> assertThat(probe.expectMessage(WAIT)).as("state kept").isEqualTo("after 2");
            case RESTART, BACKOFF -> assertThat(probe.expectMessage(WAIT)).as("state new").isEqualTo("after 1");
            case STOP -> assertThat(probe.expectMessage(WAIT)).isInstanceOfSatisfying(ChildFailed.class,
                    failed -> assertThat(failed.cause()).hasMessageContaining("supervised failure"));
        }
    }

    // ---- joins across processes: the word count ----

    /** Spawns a joinable word counter on {@code node} and sends it its quarter, then Done unless {@code hold}. */
    static ActorRef<Shard> startShard(ActorContext<?> context, String name, List<String> quarter, RemoteNode node,
                                      boolean hold, Joinable<?, ?, ?> joinable) {
        ActorRef<Shard> shard = context.spawnJoinable(JoinTest::wordCounter, name, joinable, Props.onNode(node));
        for (int from = 0; from < quarter.size(); from += 500) {
            shard.tell(new Chunk(List.copyOf(quarter.subList(from, Math.min(quarter.size(), from + 500))), false));
        }
        if (!hold) {
            shard.tell(new Done());
        }
        return shard;
    }

    /**
     * Four joinable shards, shard i on {@code nodes[i % 2]}; those on the second node hold back their end when
     * {@code holdSecond}. A failed shard starts again on the first node as {@code shard-i-retry}. Reports each
     * join or failure, then the merged counts once four have joined.
     */
    static Behavior<Object> wordCount(List<String> text, List<RemoteNode> nodes, boolean holdSecond,
                                      ActorRef<Object> probe, AtomicInteger merges) {
        Joinable<Map<String, Integer>, Counts, Map<String, Integer>> joinable = Joinable.of(Counts.class,
                counts -> new Counts(Map.copyOf(counts)), (parent, snapshot) -> {
                    merges.incrementAndGet();
                    return JoinTest.merge(parent, snapshot);
                });
        int size = text.size() / 4;
        List<List<String>> quarters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            quarters.add(text.subList(i * size, i == 3 ? text.size() : (i + 1) * size));
        }
        return Behaviors.setup(context -> {
            for (int i = 0; i < 4; i++) {
                startShard(context, "shard-" + i, quarters.get(i), nodes.get(i % 2), holdSecond && i % 2 == 1,
                        joinable);
            }
            AtomicInteger joined = new AtomicInteger();
            return Behaviors.stateful(Map.<String, Integer>of(), (ctx, counts, message) -> Behaviors.same(),
                    (ctx, counts, signal) -> {
                        switch (signal) {
                            case ChildFailed failed -> {
                                probe.tell("failed " + failed.ref().path().name() + ": " + failed.cause()
                                        .getClass().getSimpleName() + " " + failed.cause().getMessage());
                                int i = Integer.parseInt(failed.ref().path().name().substring("shard-".length()));
                                startShard(ctx, "shard-" + i + "-retry", quarters.get(i), nodes.get(0), false,
                                        joinable);
                            }
                            case ChildJoined j -> {
                                probe.tell("joined " + j.ref().path().name());
                                if (joined.incrementAndGet() == 4) {
                                    probe.tell(counts);
                                }
                            }
                            default -> {
                                return Behaviors.unhandled();
                            }
                        }
                        return Behaviors.same();
                    });
        });
    }

    @Test
    void shouldStopAJoinableChildInAChildJvmThatDoesNotJoinInTimeAndReportItFailed() throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        TestProbe<Object> watcherProbe = TestProbe.create(system);
        RemoteNode node = node(system, "late-joiner");
        Joinable<Map<String, Integer>, Counts, Object> joinable = Joinable.<Map<String, Integer>, Counts>of(
                Counts.class, counts -> new Counts(Map.copyOf(counts))).withTimeout(Duration.ofMillis(300));
        system.systemActorOf(Behaviors.setup(context -> {
            probe.ref().tell(context.spawnJoinable(JoinTest::wordCounter, "lingering", joinable,
                    Props.onNode(node))); // never told Done
            return Behaviors.receive((ctx, m) -> Behaviors.same(), (ctx, signal) -> {
                probe.ref().tell(signal);
                return Behaviors.same();
            });
        }), "parent");
        ActorRef<?> child = (ActorRef<?>) probe.expectMessage(WAIT);
        watchFrom(system, child, watcherProbe);
        ChildFailed failed = (ChildFailed) probe.expectMessage(WAIT);
        assertThat(failed.ref()).isEqualTo(child);
        assertThat(failed.cause()).isInstanceOf(JoinTimeoutException.class).hasMessageContaining("timeout=PT0.3S");
        assertThat(watcherProbe.expectMessage(WAIT)).as("the child in the child JVM was stopped")
                .isEqualTo(new Terminated(child));
        probe.expectNoMessageQueued(); // its late snapshot merged nothing and signalled nothing
    }

    @Test
    void shouldMergeFourShardsCountedInTwoChildJvmsIntoTheSingleThreadedCount() throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        List<RemoteNode> nodes = List.of(node(system, "count-1"), node(system, "count-2"));
        List<String> text = JoinTest.text(17, 40_000);
        AtomicInteger merges = new AtomicInteger();
        system.systemActorOf(wordCount(text, nodes, false, probe.ref(), merges), "word-count");
        List<Object> joins = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            joins.add(probe.expectMessage(WAIT));
        }
        assertThat(joins).containsExactlyInAnyOrder("joined shard-0", "joined shard-1", "joined shard-2",
                "joined shard-3");
        assertThat(probe.expectMessage(WAIT)).isEqualTo(JoinTest.countAll(text));
        assertThat(merges.get()).as("each shard merged exactly once").isEqualTo(4);
    }

    @Test
    void shouldReportTheShardsOfAKilledChildJvmFailedMergeTheOthersAndRestartTheLostOnes() throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        List<RemoteNode> nodes = List.of(node(system, "count-3"), node(system, "count-4"));
        List<String> text = JoinTest.text(23, 40_000);
        AtomicInteger merges = new AtomicInteger();
        system.systemActorOf(wordCount(text, nodes, true, probe.ref(), merges), "word-count");
        assertThat(List.of(probe.expectMessage(WAIT), probe.expectMessage(WAIT)))
                .containsExactlyInAnyOrder("joined shard-0", "joined shard-2");
        ProcessHandle.of(nodes.get(1).pid()).orElseThrow().destroyForcibly(); // SIGKILL, shards 1 and 3 mid-way
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(probe.expectMessage(WAIT));
        }
        String died = "NodeGoneException child=/user/shard-%d is gone with its node=count-4 (pid=" + nodes.get(1).pid()
                + "), which exited with status=-9 (killed by signal 9)";
        assertThat(events).containsExactlyInAnyOrder("failed shard-1: " + died.formatted(1),
                "failed shard-3: " + died.formatted(3), "joined shard-1-retry", "joined shard-3-retry");
        assertThat(probe.expectMessage(WAIT)).as("no partial count of a killed shard merged")
                .isEqualTo(JoinTest.countAll(text));
        assertThat(merges.get()).isEqualTo(4);
        assertThat(get(nodes.get(1).whenExited())).isEqualTo(-9);
    }
}
