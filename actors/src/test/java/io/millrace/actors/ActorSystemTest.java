package io.millrace.actors;

import io.millrace.shm.WaitStrategy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActorSystemTest extends ActorTestKit {

    @Test
    void shouldBeTheGuardiansRef() {
        java.util.concurrent.LinkedBlockingQueue<String> received = new java.util.concurrent.LinkedBlockingQueue<>();
        ActorSystem<String> system = system(Behaviors.receiveMessage(m -> {
            received.add("guardian got " + m);
            return Behaviors.same();
        }));
        system.tell("hi");
        try {
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("guardian got hi");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(system.path().path()).isEqualTo("/user");
        assertThat(system.path().system()).isEqualTo(system.name());
        assertThat(system.path().node()).isEqualTo(system.nodeId());
    }

    @Test
    void shouldStopEveryActorAndEndEveryThreadOnClose() {
        ActorSystem<Void> system = system(Behaviors.setup(context -> {
            context.spawn(Behaviors.ignore(), "child");
            return Behaviors.empty();
        }));
        CompletableFuture<String> postStop = new CompletableFuture<>();
        system.systemActorOf(Behaviors.<String>withTimers(timers -> {
            timers.startTimerAtFixedRate("t", "tick", Duration.ofMillis(1));
            return Behaviors.receive((c, m) -> Behaviors.same(), (c, s) -> {
                postStop.complete("stopped");
                return Behaviors.same();
            });
        }), "ticking");
        assertThat(threadsOf(system)).isNotEmpty();
        system.close();
        assertThat(postStop).isCompletedWithValue("stopped");
        assertThat(system.getWhenTerminated().toCompletableFuture()).isCompleted();
        assertThat(threadsOf(system)).isEmpty();
        system.close();
    }

    @Test
    void shouldTerminateWhenTheGuardianStops() throws Exception {
        ActorSystem<String> system = system(Behaviors.receiveMessage(m -> Behaviors.stopped()));
        system.tell("stop");
        system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(system.isTerminated()).isTrue();
        system.close();
        assertThat(threadsOf(system)).isEmpty();
    }

    @Test
    void shouldTerminateFromInsideAnActorButRefuseToWaitThere() throws Exception {
        CompletableFuture<Throwable> closeFailure = new CompletableFuture<>();
        ActorSystem<String> system = system(Behaviors.receive((context, m) -> {
            try {
                context.getSystem().close();
            } catch (IllegalStateException e) {
                closeFailure.complete(e);
            }
            context.getSystem().terminate();
            return Behaviors.same();
        }));
        system.tell("go");
        assertThat(closeFailure.get(20, TimeUnit.SECONDS)).hasMessageContaining("call terminate() instead");
        system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void shouldRefuseSpawnAndLookupAfterTerminate() {
        ActorSystem<Void> system = system();
        system.close();
        assertThatThrownBy(() -> system.systemActorOf(Behaviors.ignore(), "late"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is terminated")
                .hasMessageContaining("name=late");
        assertThatThrownBy(() -> Receptionist.lookup(system, ServiceKey.create(String.class, "k"),
                Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is terminated");
        assertThatThrownBy(() -> system.scheduler().scheduleOnce(Duration.ZERO, () -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is terminated");
    }

    @Test
    void shouldRunWithEveryWaitStrategy() throws Exception {
        for (WaitStrategy strategy : new WaitStrategy[] {WaitStrategy.blocking(), WaitStrategy.backoff(),
                WaitStrategy.yielding(), WaitStrategy.busySpin()}) {
            ActorSystem<String> system = system(Behaviors.ignore(),
                    smallConfig().withDispatcherThreads(1).withWaitStrategy(strategy));
            TestProbe<Object> probe = TestProbe.create(system);
            ActorRef<String> echo = system.systemActorOf(Behaviors.receiveMessage(m -> {
                probe.ref().tell(m);
                return Behaviors.same();
            }), "echo");
            for (int i = 0; i < 100; i++) {
                echo.tell("m" + i);
                probe.expectMessage("m" + i);
            }
            system.close();
        }
    }

    @Test
    void shouldWakeASleepingLaneForEveryTell() throws Exception {
        // each round trip lets the lane fall asleep (blocking strategy) before the next tell: a lost wake-up
        // would leave a message unhandled and time out the probe
        ActorSystem<Void> system = system(Behaviors.empty(), smallConfig().withDispatcherThreads(1)
                .withWaitStrategy(WaitStrategy.blocking()));
        java.util.concurrent.SynchronousQueue<Integer> replies = new java.util.concurrent.SynchronousQueue<>();
        ActorRef<Integer> echo = system.systemActorOf(Behaviors.receiveMessage(m -> {
            try {
                replies.put(m);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Behaviors.same();
        }), "echo");
        for (int i = 0; i < 5_000; i++) {
            echo.tell(i);
            assertThat(replies.poll(10, TimeUnit.SECONDS)).as("reply " + i).isEqualTo(i);
        }
    }

    @Test
    void shouldValidateNameAndConfigNamingTheWrongValue() {
        assertThatThrownBy(() -> ActorSystem.create(Behaviors.empty(), "bad name"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name=bad name");
        ActorSystemConfig defaults = ActorSystemConfig.defaults();
        assertThat(defaults.dispatcherThreads()).isGreaterThanOrEqualTo(1);
        assertThatThrownBy(() -> defaults.withDispatcherThreads(0)).hasMessageContaining("dispatcherThreads=0");
        assertThatThrownBy(() -> defaults.withMailboxCapacity(1000)).hasMessageContaining("mailboxCapacity=1000");
        assertThatThrownBy(() -> defaults.withDeadLetterLogLimit(-1)).hasMessageContaining("deadLetterLogLimit=-1");
        assertThatThrownBy(() -> defaults.withTerminateTimeout(Duration.ZERO))
                .hasMessageContaining("terminateTimeout=PT0S");
        assertThatThrownBy(() -> defaults.withLaneRingBytes(1000)).hasMessageContaining("laneRingBytes=1000");
        assertThatThrownBy(() -> defaults.withLaneRingBytes(1 << 10)).hasMessageContaining("laneRingBytes=1024");
        assertThatThrownBy(() -> defaults.withMaxMessageBytes(0)).hasMessageContaining("maxMessageBytes=0");
        assertThat(defaults.laneRingBytes()).isEqualTo(1 << 20);
        assertThat(defaults.maxMessageBytes()).isEqualTo(64 << 20);
        assertThatThrownBy(() -> defaults.withWaitStrategy(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("waitStrategy");
    }

    @Test
    void shouldNotStartThreadsForAnInvalidGuardian() {
        String name = "InvalidGuardian";
        assertThatThrownBy(() -> ActorSystem.create(new Behavior<String>() {
        }, name)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("millrace-" + name + "-"))).isEmpty();
    }
}
