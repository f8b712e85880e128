package io.millrace.actors;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BehaviorsTest extends ActorTestKit {

    sealed interface Command permits Add, Get, Echo, Fail, Stop {
    }

    record Add(int n) implements Command {
    }

    record Get(ActorRef<Object> replyTo) implements Command {
    }

    record Echo(String text, ActorRef<Object> replyTo) implements Command {
    }

    record Fail() implements Command {
    }

    record Stop() implements Command {
    }

    static Behavior<Command> counter(int total, ActorRef<Object> signals) {
        return Behaviors.receive(Command.class)
                .onMessage(Add.class, add -> counter(total + add.n(), signals))
                .onMessage(Get.class, get -> {
                    get.replyTo().tell(total);
                    return Behaviors.same();
                })
                .onMessage(Fail.class, f -> {
                    throw new IllegalStateException("boom");
                })
                .onMessage(Stop.class, s -> Behaviors.stopped(() -> signals.tell("callback")))
                .onSignal(PostStop.class, s -> {
                    signals.tell("postStop total=" + total);
                    return Behaviors.same();
                })
                .build();
    }

    @Test
    void shouldDispatchBuilderCasesByClassAndKeepStateInTheReturnedBehavior() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Command> counter = system.systemActorOf(counter(0, probe.ref()), "counter");
        counter.tell(new Add(2));
        counter.tell(new Add(3));
        counter.tell(new Get(probe.ref()));
        probe.expectMessage(5);
    }

    @Test
    void shouldDeliverPostStopToTheCurrentBehaviorAndThenRunTheStoppedCallback() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Command> counter = system.systemActorOf(counter(0, probe.ref()), "counter");
        counter.tell(new Add(7));
        counter.tell(new Stop());
        probe.expectMessage("postStop total=7");
        probe.expectMessage("callback");
    }

    @Test
    void shouldStopAnActorWhoseHandlerThrowsAndDeadLetterLaterMessages() throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        TestProbe<DeadLetter> dead = TestProbe.create(system);
        system.deadLetters().subscribe(dead.ref()::tell);
        ActorRef<Command> counter = system.systemActorOf(counter(1, probe.ref()), "failing");
        counter.tell(new Fail());
        probe.expectMessage("postStop total=1");
        counter.tell(new Add(1));
        DeadLetter letter = dead.expectMessage();
        assertThat(letter.message()).isEqualTo(new Add(1));
        assertThat(letter.recipient()).isEqualTo(counter.path());
        assertThat(letter.reason()).isEqualTo(DeadLetter.Reason.RECIPIENT_STOPPED);
    }

    @Test
    void shouldRunSetupOnceWithTheContextOnTheActorsThread() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<String> actor = system.systemActorOf(Behaviors.<String>setup(context -> {
            probe.ref().tell("setup by " + context.getSelf().path().name() + " on "
                    + Thread.currentThread().getName().contains("-lane-"));
            return Behaviors.receiveMessage(message -> {
                probe.ref().tell(message);
                return Behaviors.same();
            });
        }), "setup");
        actor.tell("one");
        actor.tell("two");
        probe.expectMessage("setup by setup on true");
        probe.expectMessage("one");
        probe.expectMessage("two");
    }

    @Test
    void shouldPassContextToReceiveAndSignalsToItsSignalHandler() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<String> actor = system.systemActorOf(Behaviors.<String>receive((context, message) -> {
            probe.ref().tell(context.getSelf().path().name() + ":" + message);
            return message.equals("stop") ? Behaviors.stopped() : Behaviors.same();
        }, (context, signal) -> {
            probe.ref().tell(signal);
            return Behaviors.same();
        }), "receiver");
        actor.tell("hi");
        actor.tell("stop");
        probe.expectMessage("receiver:hi");
        probe.expectMessage("receiver:stop");
        probe.expectMessage(PostStop.instance());
    }

    @Test
    void shouldMatchOnMessageEqualsPredicatesAndAnyMessageInOrder() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> actor = system.systemActorOf(Behaviors.receive(Object.class)
                .onMessageEquals("exact", () -> {
                    probe.ref().tell("equals");
                    return Behaviors.same();
                })
                .onMessage(Integer.class, i -> i > 10, i -> {
                    probe.ref().tell("big " + i);
                    return Behaviors.same();
                })
                .onMessage(Integer.class, i -> {
                    probe.ref().tell("small " + i);
                    return Behaviors.same();
                })
                .onAnyMessage(m -> {
                    probe.ref().tell("any " + m);
                    return Behaviors.same();
                })
                .build(), "matcher");
        actor.tell("exact");
        actor.tell(42);
        actor.tell(3);
        actor.tell("other");
        assertThat(probe.receiveMessages(4)).containsExactly("equals", "big 42", "small 3", "any other");
    }

    @Test
    void shouldKeepTheBehaviorOnUnhandled() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> unhandling = system.systemActorOf(Behaviors.receive(Object.class)
                .onMessage(String.class, s -> {
                    probe.ref().tell(s);
                    return Behaviors.same();
                })
                .onMessage(Integer.class, i -> Behaviors.unhandled())
                .build(), "unhandling");
        unhandling.tell(1);
        unhandling.tell(2L);
        unhandling.tell("still here");
        probe.expectMessage("still here");
    }

    @Test
    void shouldKeepEmptyAndIgnoreActorsAliveAfterMessages() {
        // one lane: the probe's message is handled after the messages told before it from this thread
        ActorSystem<Void> system = system(Behaviors.empty(), smallConfig().withDispatcherThreads(1));
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> empty = system.systemActorOf(Behaviors.empty(), "empty");
        ActorRef<Object> ignore = system.systemActorOf(Behaviors.ignore(), "ignore");
        empty.tell("x");
        ignore.tell("y");
        probe.ref().tell("sync");
        probe.expectMessage("sync");
        long before = system.deadLetters().count();
        assertThat(system.refResolver().resolveActorRef(empty.path())).isSameAs(empty);
        assertThat(system.refResolver().resolveActorRef(ignore.path())).isSameAs(ignore);
        empty.tell("again");
        ignore.tell("again");
        probe.ref().tell("sync");
        probe.expectMessage("sync");
        assertThat(system.deadLetters().count()).isEqualTo(before);
    }

    @Test
    void shouldStopAnActorWhoseSetupReturnsStopped() throws Exception {
        ActorSystem<Void> system = system();
        CountDownLatch ran = new CountDownLatch(1);
        TestProbe<DeadLetter> dead = TestProbe.create(system);
        system.deadLetters().subscribe(dead.ref()::tell);
        ActorRef<String> actor = system.systemActorOf(Behaviors.setup(context -> Behaviors.stopped(ran::countDown)),
                "stopsAtOnce");
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        actor.tell("late");
        assertThat(dead.expectMessage().message()).isEqualTo("late");
    }

    @Test
    void shouldFailAnActorWhoseSetupReturnsSame() throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<DeadLetter> dead = TestProbe.create(system);
        system.deadLetters().subscribe(dead.ref()::tell);
        AtomicReference<ActorRef<String>> self = new AtomicReference<>();
        CountDownLatch setup = new CountDownLatch(1);
        ActorRef<String> actor = system.systemActorOf(Behaviors.setup(context -> {
            self.set(context.getSelf());
            setup.countDown();
            return Behaviors.same();
        }), "badSetup");
        assertThat(setup.await(10, TimeUnit.SECONDS)).isTrue();
        actor.tell("after");
        assertThat(dead.expectMessage().reason()).isEqualTo(DeadLetter.Reason.RECIPIENT_STOPPED);
    }

    @Test
    void shouldRefuseBehaviorsNotMadeByBehaviors() {
        ActorSystem<Void> system = system();
        Behavior<String> foreign = new Behavior<>() {
        };
        assertThatThrownBy(() -> system.systemActorOf(foreign, "foreign"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was not made by Behaviors");
    }

    @Test
    void shouldSwitchBehaviorsAndNarrowRefs() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        Behavior<Object> second = Behaviors.receiveMessage(m -> {
            probe.ref().tell("second " + m);
            return Behaviors.same();
        });
        Behavior<Object> first = Behaviors.receiveMessage(m -> {
            probe.ref().tell("first " + m);
            return second;
        });
        ActorRef<Object> actor = system.systemActorOf(first, "switcher");
        ActorRef<String> narrowed = actor.narrow();
        narrowed.tell("a");
        narrowed.tell("b");
        assertThat(probe.receiveMessages(2)).containsExactly("first a", "second b");
    }
}
