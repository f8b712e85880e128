package io.millrace.actors;

import io.millrace.actors.NodeMessages.Cmd;
import io.millrace.actors.NodeMessages.Ping;
import io.millrace.actors.NodeMessages.Pong;
import io.millrace.actors.remote.NodeInfo;
import io.millrace.shm.ShmDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Node supervision: a child JVM node killed with SIGKILL is restarted with back-off, up to its limit. */
class NodeRestartTest extends ActorTestKit {

    private static final Duration WAIT = Duration.ofSeconds(60);
    static final ServiceKey<Cmd> ECHO = ServiceKey.create(Cmd.class, "restarted-echo");

    private final List<RemoteNode> nodes = new ArrayList<>();

    /** An echo that registers itself under {@link #ECHO} (so that its spawn after a restart can be seen). */
    static Behavior<Cmd> registeringEcho() {
        return Behaviors.setup(context -> {
            context.getSystem().receptionist().tell(Receptionist.register(ECHO, context.getSelf()));
            return NodeMessages.echo(context.getSystem().name());
        });
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private RemoteNode node(ActorSystem<?> system, NodeSpec spec) throws Exception {
        RemoteNode node = get(system.spawnNode(spec));
        nodes.add(node);
        return node;
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(RemoteNode::close);
    }

    /** Listings of {@link #ECHO} as they change. */
    private static BlockingQueue<Set<ActorRef<Cmd>>> subscribe(ActorSystem<?> system) {
        BlockingQueue<Set<ActorRef<Cmd>>> listings = new LinkedBlockingQueue<>();
        ActorRef<Receptionist.Listing> subscriber = system.systemActorOf(Behaviors.receiveMessage(listing -> {
            listings.add(listing.getServiceInstances(ECHO));
            return Behaviors.same();
        }), "subscriber");
        system.receptionist().tell(Receptionist.subscribe(ECHO, subscriber));
        return listings;
    }

    /** The echo registered by node {@code nodeId}, from the first listing that holds one. */
    private static ActorRef<Cmd> echoOn(BlockingQueue<Set<ActorRef<Cmd>>> listings, long nodeId) throws Exception {
        while (true) {
            Set<ActorRef<Cmd>> listing = listings.poll(60, TimeUnit.SECONDS);
            assertThat(listing).as("a listing with the echo of node=" + Long.toHexString(nodeId)).isNotNull();
            for (ActorRef<Cmd> echo : listing) {
                if (echo.path().node() == nodeId) {
                    return echo;
                }
            }
        }
    }

    @Test
    void shouldRestartAKilledNodeAfterItsBackoffAndSpawnItsActorsAgainFromTheirFactories() throws Exception {
        ActorSystem<Void> system = system();
        BlockingQueue<Set<ActorRef<Cmd>>> listings = subscribe(system);
        RemoteNode node = node(system, NodeSpec.named("restarting").withRestart(
                NodeRestart.withBackoff(Duration.ofMillis(50), Duration.ofSeconds(1), 3)));
        get(node.spawn(NodeRestartTest::registeringEcho, "echo"));
        long firstId = node.nodeId();
        long firstPid = node.pid();
        ActorRef<Cmd> first = echoOn(listings, firstId);
        CompletionStage<RemoteNode> restarted = node.whenRestarted();
        ProcessHandle.of(firstPid).orElseThrow().destroyForcibly(); // SIGKILL
        assertThat(get(restarted)).isSameAs(node);
        assertThat(node.restarts()).isEqualTo(1);
        assertThat(NodeInfo.read(ShmDirectory.at(shm.path()), "node-%016x".formatted(system.nodeId()))
                .childRestarts()).as("what millrace stat shows").isEqualTo(1);
        assertThat(node.nodeId()).isNotEqualTo(firstId);
        assertThat(node.pid()).isNotEqualTo(firstPid);
        ActorRef<Cmd> again = echoOn(listings, node.nodeId());
        assertThat(again.path().path()).isEqualTo(first.path().path());
        assertThat(get(AskPattern.<Cmd, Pong>ask(again, r -> new Ping(3, r), WAIT, system)))
                .isEqualTo(new Pong(3, "restarting"));
    }

    @Test
    void shouldEndEachOfSeveralRestartsInARowOnTheNewProcessNotOnAnEarlierDeadOnesLingeringRegistration()
            throws Exception {
        ActorSystem<Void> system = system();
        RemoteNode node = node(system, NodeSpec.named("again").withRestart(
                NodeRestart.withBackoff(Duration.ofMillis(10), Duration.ofMillis(20), 5)));
        for (int round = 1; round <= 3; round++) {
            int kill = round;
            long pid = node.pid();
            CompletionStage<RemoteNode> restarted = node.whenRestarted();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
            get(restarted);
            assertThat(node.pid()).as("restart %d", kill).isNotEqualTo(pid);
            assertThat(ProcessHandle.of(node.pid()).map(ProcessHandle::isAlive)).as("restart %d", kill).hasValue(true);
            assertThat(NodeInfo.read(ShmDirectory.at(shm.path()), node.nodeId()).pid())
                    .as("the node restart %d reports is hosted by the new process", kill).isEqualTo(node.pid());
            ActorRef<Cmd> echo = get(node.spawn(() -> NodeMessages.echo("again"), "echo-" + kill));
            assertThat(get(AskPattern.<Cmd, Pong>ask(echo, r -> new Ping(kill, r), WAIT, system)))
                    .isEqualTo(new Pong(kill, "again"));
        }
        assertThat(node.restarts()).isEqualTo(3);
    }

    @Test
    void shouldLeaveANodeDownOnceItsRestartLimitIsReached() throws Exception {
        ActorSystem<Void> system = system();
        RemoteNode node = node(system, NodeSpec.named("limited").withRestart(
                NodeRestart.withBackoff(Duration.ofMillis(20), Duration.ofMillis(40), 1)));
        CompletionStage<RemoteNode> restarted = node.whenRestarted();
        ProcessHandle.of(node.pid()).orElseThrow().destroyForcibly();
        get(restarted);
        CompletionStage<RemoteNode> never = node.whenRestarted();
        long pid = node.pid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        assertThatThrownBy(() -> get(never)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pid=" + pid).hasMessageContaining("status=-9")
                .hasMessageContaining("restart limit maxRestarts=1 reached");
        assertThat(node.restarts()).isEqualTo(1);
    }

    @Test
    void shouldNotRestartANodeThatWasClosed() throws Exception {
        ActorSystem<Void> system = system();
        RemoteNode node = node(system, NodeSpec.named("closed").withRestart(
                NodeRestart.withBackoff(Duration.ofMillis(20), Duration.ofMillis(40), 3)));
        CompletionStage<RemoteNode> restarted = node.whenRestarted();
        node.close();
        assertThat(get(node.whenExited())).isZero();
        assertThatThrownBy(() -> get(restarted)).cause().hasMessageContaining("closed");
        assertThat(node.restarts()).isZero();
    }

    @Test
    void shouldRefuseABadRestartPolicyNamingTheValue() {
        assertThatThrownBy(() -> NodeRestart.withBackoff(Duration.ZERO, Duration.ofSeconds(1), 1))
                .hasMessageContaining("minBackoff=PT0S");
        assertThatThrownBy(() -> NodeRestart.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 1))
                .hasMessageContaining("maxBackoff=PT1S");
        assertThatThrownBy(() -> NodeRestart.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .hasMessageContaining("maxRestarts=0");
        NodeRestart policy = NodeRestart.withBackoff(Duration.ofMillis(100), Duration.ofMillis(350), 5);
        assertThat(List.of(policy.backoff(0), policy.backoff(1), policy.backoff(2), policy.backoff(30)))
                .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(350),
                        Duration.ofMillis(350));
    }
}
