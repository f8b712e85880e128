package io.millrace.actors;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One lane of 8 slots, held up by an actor blocked in its handler until the test releases it. */
class MailboxFullPolicyTest extends ActorTestKit {

    private static final int CAPACITY = 8;

    private static ActorSystemConfig oneSmallLane(MailboxFullPolicy policy) {
        return smallConfig().withDispatcherThreads(1).withMailboxCapacity(CAPACITY).withMailboxFullPolicy(policy);
    }

    /** Blocks on its first message until {@code release}; counts the others. */
    private static Behavior<String> blocker(CountDownLatch blocked, CountDownLatch release, AtomicInteger handled) {
        return Behaviors.receiveMessage(message -> {
            if (message.equals("block")) {
                blocked.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                handled.incrementAndGet();
            }
            return Behaviors.same();
        });
    }

    /** Spawns a {@link #blocker} and returns once it is blocked in its handler. */
    private static ActorRef<String> blockedActor(ActorSystem<?> system, CountDownLatch release, AtomicInteger handled,
                                                 Props props) throws InterruptedException {
        CountDownLatch blocked = new CountDownLatch(1);
        ActorRef<String> actor = system.systemActorOf(blocker(blocked, release, handled), "blocker", props);
        actor.tell("block");
        assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
        return actor;
    }

    @Test
    void shouldThrowMailboxFullExceptionUnderFailFastOnceTheLaneIsFull() throws Exception {
        ActorSystem<Void> system = system(Behaviors.empty(), oneSmallLane(MailboxFullPolicy.failFast()));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        ActorRef<String> actor = blockedActor(system, release, handled, Props.empty());
        int accepted = 0;
        MailboxFullException full = null;
        while (full == null && accepted <= CAPACITY) {
            try {
                actor.tell("m" + accepted);
                accepted++;
            } catch (MailboxFullException e) {
                full = e;
            }
        }
        assertThat(full).isNotNull().hasMessageContaining("/system/blocker").hasMessageContaining("capacity=8");
        assertThat(full.recipient()).isEqualTo(actor.path());
        assertThat(accepted).isBetween(1, CAPACITY);
        release.countDown();
        TestProbe<Integer> probe = TestProbe.create(system);
        int expected = accepted;
        ActorRef<String> checker = system.systemActorOf(Behaviors.receiveMessage(m -> {
            probe.ref().tell(handled.get());
            return Behaviors.same();
        }), "checker", Props.empty().withMailboxFullPolicy(MailboxFullPolicy.waitUpTo(Duration.ofSeconds(10))));
        // the checker shares the only lane, which may still be full (its tell waits for room): by the time it
        // runs, every accepted message ahead of it was handled
        checker.tell("check");
        assertThat(probe.expectMessage()).isEqualTo(expected);
    }

    @Test
    void shouldDeadLetterAfterWaitingUnderWaitUpTo() throws Exception {
        ActorSystem<Void> system = system(Behaviors.empty(),
                oneSmallLane(MailboxFullPolicy.waitUpTo(Duration.ofMillis(20))));
        CountDownLatch release = new CountDownLatch(1);
        ActorRef<String> actor = blockedActor(system, release, new AtomicInteger(), Props.empty());
        CompletableFuture<DeadLetter> letter = new CompletableFuture<>();
        system.deadLetters().subscribe(letter::complete);
        for (int i = 0; i <= CAPACITY; i++) {
            actor.tell("m" + i);
        }
        DeadLetter dead = letter.get(10, TimeUnit.SECONDS);
        assertThat(dead.reason()).isEqualTo(DeadLetter.Reason.MAILBOX_FULL);
        assertThat(dead.recipient()).isEqualTo(actor.path());
        release.countDown();
    }

    @Test
    void shouldDeliverOnceRoomIsMadeWhileWaiting() throws Exception {
        ActorSystem<Void> system = system(Behaviors.empty(),
                oneSmallLane(MailboxFullPolicy.waitUpTo(Duration.ofSeconds(30))));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        ActorRef<String> actor = blockedActor(system, release, handled, Props.empty());
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 4 * CAPACITY; i++) {
                actor.tell("m" + i);
            }
        });
        release.countDown();
        sent.get(30, TimeUnit.SECONDS);
        assertThat(system.deadLetters().count()).isZero();
    }

    @Test
    void shouldApplyAPerActorPolicyFromProps() throws Exception {
        ActorSystem<Void> system = system(Behaviors.empty(),
                oneSmallLane(MailboxFullPolicy.waitUpTo(Duration.ofSeconds(30))));
        CountDownLatch release = new CountDownLatch(1);
        ActorRef<String> actor = blockedActor(system, release, new AtomicInteger(),
                Props.empty().withMailboxFullPolicy(MailboxFullPolicy.failFast()));
        assertThatThrownBy(() -> {
            for (int i = 0; i <= CAPACITY; i++) {
                actor.tell("m" + i);
            }
        }).isInstanceOf(MailboxFullException.class);
        release.countDown();
    }

    @Test
    void shouldTerminateAndStopActorsWhileTheirLaneIsFull() throws Exception {
        ActorSystem<Void> system = system(Behaviors.empty(), oneSmallLane(MailboxFullPolicy.failFast()));
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        ActorRef<String> actor = blockedActor(system, release, handled, Props.empty());
        assertThatThrownBy(() -> {
            for (int i = 0; i <= CAPACITY; i++) {
                actor.tell("m" + i);
            }
        }).isInstanceOf(MailboxFullException.class);
        // stops travel in the system queue, which a full ring cannot refuse
        system.terminate();
        release.countDown();
        system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        assertThat(handled.get()).isZero();
        assertThat(system.deadLetters().count()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void shouldRefuseInvalidPolicies() {
        assertThatThrownBy(() -> MailboxFullPolicy.waitUpTo(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout=PT-0.001S");
    }
}
