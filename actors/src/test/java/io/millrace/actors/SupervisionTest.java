package io.millrace.actors;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SupervisionTest extends ActorTestKit {

    sealed interface Command permits Add, Get, Fail, SpawnKid, GetKid {
    }

    record Add(int n) implements Command {
    }

    record Get(ActorRef<Object> replyTo) implements Command {
    }

    /** Throws {@code failure}; records the time it threw at in the probe first. */
    record Fail(RuntimeException failure) implements Command {
    }

    record SpawnKid() implements Command {
    }

    record GetKid(ActorRef<Object> replyTo) implements Command {
    }

    record Stamp(String what, long nanos) {
    }

    /** A counter whose setup and signals are reported to {@code probe}. */
    static Behavior<Command> counter(ActorRef<Object> probe) {
        return Behaviors.setup(context -> {
            probe.tell(new Stamp("setup", System.nanoTime()));
            return counting(0, probe);
        });
    }

    static Behavior<Command> counting(int total, ActorRef<Object> probe) {
        return Behaviors.receive(Command.class)
                .onMessage(Add.class, add -> counting(total + add.n(), probe))
                .onMessage(Get.class, get -> {
                    get.replyTo().tell(total);
                    return Behaviors.same();
                })
                .onMessage(Fail.class, fail -> {
                    probe.tell(new Stamp("fail", System.nanoTime()));
                    throw fail.failure();
                })
                .onSignal(PreRestart.class, s -> {
                    probe.tell("preRestart total=" + total);
                    return Behaviors.same();
                })
                .onSignal(PostStop.class, s -> {
                    probe.tell("postStop total=" + total);
                    return Behaviors.same();
                })
                .build();
    }

    /** Skips the probe's stamps of setups and failures, returning the first other message. */
    static Object nextEvent(TestProbe<Object> probe) {
        while (true) {
            Object message = probe.expectMessage();
            if (!(message instanceof Stamp)) {
                return message;
            }
        }
    }

    static Stamp nextStamp(TestProbe<Object> probe, String what) {
        while (true) {
            Object message = probe.expectMessage();
            if (message instanceof Stamp stamp && stamp.what().equals(what)) {
                return stamp;
            }
        }
    }

    @Test
    void shouldKeepStateAndDropTheFailedMessageOnResume() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Command> counter = system.systemActorOf(Behaviors.supervise(counter(probe.ref()))
                .onFailure(IllegalStateException.class, SupervisorStrategy.resume()), "resumer");
        counter.tell(new Add(2));
        counter.tell(new Fail(new IllegalStateException("boom")));
        counter.tell(new Add(3));
        counter.tell(new Get(probe.ref()));
        assertThat(nextEvent(probe)).isEqualTo(5);
        counter.tell(new Get(probe.ref()));
        assertThat(nextEvent(probe)).isEqualTo(5);
        assertThat(probe.receiveMessagesSoFar()).noneMatch(m -> m instanceof Stamp s && s.what().equals("setup"));
    }

    @Test
    void shouldResetStateRunSetupAgainAndSignalPreRestartOnRestart() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Command> counter = system.systemActorOf(Behaviors.supervise(counter(probe.ref()))
                .onFailure(IllegalStateException.class, SupervisorStrategy.restart()), "restarter");
        nextStamp(probe, "setup");
        counter.tell(new Add(2));
        counter.tell(new Fail(new IllegalStateException("boom")));
        counter.tell(new Add(5)); // arrives while the restart is pending: handled by the new behavior
        counter.tell(new Get(probe.ref()));
        assertThat(nextEvent(probe)).isEqualTo("preRestart total=2");
        nextStamp(probe, "setup");
        assertThat(nextEvent(probe)).isEqualTo(5);
    }

    @Test
    void shouldStopWhenTheRestartLimitIsReached() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Command> counter = system.systemActorOf(Behaviors.supervise(counter(probe.ref()))
                .onFailure(IllegalStateException.class, SupervisorStrategy.restart()
                        .withLimit(2, Duration.ofMinutes(5))), "limited");
        for (int i = 0; i < 3; i++) {
            counter.tell(new Add(1));
            counter.tell(new Fail(new IllegalStateException("boom " + i)));
        }
        assertThat(nextEvent(probe)).isEqualTo("preRestart total=1");
        assertThat(nextEvent(probe)).isEqualTo("preRestart total=1");
        assertThat(nextEvent(probe)).isEqualTo("postStop total=1");
    }

    @Test
    void shouldMatchTheFirstCaseInOrderAndStopOnAFailureNoCaseMatches() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Command> counter = system.systemActorOf(Behaviors.supervise(counter(probe.ref()))
                .onFailure(IllegalArgumentException.class, SupervisorStrategy.resume())
                .onFailure(RuntimeException.class, SupervisorStrategy.restart()), "cases");
        counter.tell(new Add(4));
        counter.tell(new Fail(new IllegalArgumentException("specific: resumed")));
        counter.tell(new Get(probe.ref()));
        assertThat(nextEvent(probe)).isEqualTo(4);
        counter.tell(new Fail(new IllegalStateException("general: restarted")));
        assertThat(nextEvent(probe)).isEqualTo("preRestart total=4");
        counter.tell(new Add(1));
        counter.tell(new Fail(new UnsupportedOperationException("also a RuntimeException")));
        assertThat(nextEvent(probe)).isEqualTo("preRestart total=1");
        counter.tell(new Add(6));
        counter.tell(new Get(probe.ref()));
        assertThat(nextEvent(probe)).isEqualTo(6);
    }

    @Test
    void shouldTryAnInnerSupervisionBeforeAnOuterOne() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        Behavior<Command> inner = Behaviors.supervise(counter(probe.ref()))
                .onFailure(IllegalArgumentException.class, SupervisorStrategy.resume());
        ActorRef<Command> counter = system.systemActorOf(Behaviors.supervise(inner)
                .onFailure(RuntimeException.class, SupervisorStrategy.stop()), "nested");
        counter.tell(new Add(3));
        counter.tell(new Fail(new IllegalArgumentException("inner resumes")));
        counter.tell(new Get(probe.ref()));
        assertThat(nextEvent(probe)).isEqualTo(3);
        counter.tell(new Fail(new IllegalStateException("outer stops")));
        assertThat(nextEvent(probe)).isEqualTo("postStop total=3");
    }

    @Test
    void shouldRestartAfterTheBackoffStashingMessagesMeanwhile() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        Duration min = Duration.ofMillis(200);
        Duration max = Duration.ofMillis(400);
        ActorRef<Command> counter = system.systemActorOf(Behaviors.supervise(counter(probe.ref()))
                .onFailure(IllegalStateException.class, SupervisorStrategy.restartWithBackoff(min, max, 0)
                        .withResetBackoffAfter(Duration.ofMinutes(5))), "backoff");
        nextStamp(probe, "setup");
        List<Long> delays = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            counter.tell(new Fail(new IllegalStateException("boom " + round)));
            counter.tell(new Add(round + 1));
            long failedAt = nextStamp(probe, "fail").nanos();
            long restartedAt = nextStamp(probe, "setup").nanos();
            delays.add(restartedAt - failedAt);
            counter.tell(new Get(probe.ref()));
            assertThat(nextEvent(probe)).as("the stashed Add, handled after the restart").isEqualTo(round + 1);
        }
        // 200 ms, then doubled to 400 ms, then capped at 400 ms; upper bounds generous for a loaded machine
        assertThat(delays.get(0)).isGreaterThanOrEqualTo(min.toNanos()).isLessThan(Duration.ofSeconds(5).toNanos());
        assertThat(delays.get(1)).isGreaterThanOrEqualTo(max.toNanos()).isLessThan(Duration.ofSeconds(5).toNanos());
        assertThat(delays.get(2)).isGreaterThanOrEqualTo(max.toNanos()).isLessThan(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void shouldStopAfterMaxRestartsInARowWithBackoff() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Command> counter = system.systemActorOf(Behaviors.supervise(counter(probe.ref()))
                .onFailure(IllegalStateException.class, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(1),
                        Duration.ofMillis(5), 0.5).withMaxRestarts(2).withResetBackoffAfter(Duration.ofMinutes(5))),
                "backoff-limit");
        for (int i = 0; i < 3; i++) {
            counter.tell(new Fail(new IllegalStateException("boom " + i)));
            assertThat(nextEvent(probe)).isEqualTo(i < 2 ? "preRestart total=0" : "postStop total=0");
        }
    }

    static Behavior<Command> parentOfKid(ActorRef<Object> probe) {
        return Behaviors.setup(context -> {
            boolean spawned = context.getChild("kid").isEmpty();
            if (spawned) {
                context.spawn(Behaviors.receive((ctx, m) -> Behaviors.same(), (ctx, signal) -> {
                    if (signal instanceof PostStop) {
                        probe.tell("kid postStop");
                    }
                    return Behaviors.same();
                }), "kid");
            }
            probe.tell("setup spawned kid=" + spawned);
            return Behaviors.receive(Command.class)
                    .onMessage(Fail.class, fail -> {
                        throw fail.failure();
                    })
                    .onMessage(GetKid.class, get -> {
                        get.replyTo().tell(context.getChild("kid").map(ActorRef::path).orElseThrow());
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    @Test
    void shouldStopChildrenBeforeARestartUnlessToldNot() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Command> stopping = system.systemActorOf(Behaviors.supervise(parentOfKid(probe.ref()))
                .onFailure(IllegalStateException.class, SupervisorStrategy.restart()), "stops-kids");
        assertThat(probe.expectMessage()).isEqualTo("setup spawned kid=true");
        stopping.tell(new Fail(new IllegalStateException("boom")));
        assertThat(probe.expectMessage()).isEqualTo("kid postStop");
        assertThat(probe.expectMessage()).as("the restart waited for the kid, so its name was free")
                .isEqualTo("setup spawned kid=true");

        ActorRef<Command> keeping = system.systemActorOf(Behaviors.supervise(parentOfKid(probe.ref()))
                .onFailure(IllegalStateException.class, SupervisorStrategy.restart().withStopChildren(false)),
                "keeps-kids");
        assertThat(probe.expectMessage()).isEqualTo("setup spawned kid=true");
        keeping.tell(new GetKid(probe.ref()));
        Object kid = probe.expectMessage();
        keeping.tell(new Fail(new IllegalStateException("boom")));
        assertThat(probe.expectMessage()).isEqualTo("setup spawned kid=false");
        keeping.tell(new GetKid(probe.ref()));
        assertThat(probe.expectMessage()).isEqualTo(kid);
    }

    @Test
    void shouldRestartAFailingSetupUpToTheLimitAndKeepTheMessageThatStartedIt() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        AtomicInteger setups = new AtomicInteger();
        Behavior<Command> flaky = Behaviors.setup(context -> {
            if (setups.incrementAndGet() <= 2) {
                throw new IllegalStateException("setup " + setups.get() + " fails");
            }
            return counting(0, probe.ref());
        });
        ActorRef<Command> counter = system.systemActorOf(Behaviors.supervise(flaky)
                .onFailure(IllegalStateException.class, SupervisorStrategy.restart()), "flaky-setup");
        counter.tell(new Add(7));
        counter.tell(new Get(probe.ref()));
        assertThat(nextEvent(probe)).isEqualTo(7);
        assertThat(setups.get()).isEqualTo(3);

        AtomicInteger attempts = new AtomicInteger();
        ActorRef<Command> hopeless = system.systemActorOf(Behaviors.supervise(Behaviors.<Command>setup(context -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("always");
        })).onFailure(IllegalStateException.class, SupervisorStrategy.restart().withLimit(3, Duration.ofMinutes(5))),
                "hopeless");
        TestProbe<DeadLetter> dead = TestProbe.create(system);
        system.deadLetters().subscribe(dead.ref()::tell);
        hopeless.tell(new Add(1)); // handled by no behavior: a dead letter once the actor stopped
        DeadLetter letter = dead.expectMessage();
        assertThat(letter.message()).isEqualTo(new Add(1));
        assertThat(attempts.get()).isEqualTo(4);
    }
}
