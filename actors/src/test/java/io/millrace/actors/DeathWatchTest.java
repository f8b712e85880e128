package io.millrace.actors;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class DeathWatchTest extends ActorTestKit {

    /** What a watcher actor is told to do (by the test, on the watcher's thread). */
    record Do(java.util.function.Consumer<ActorContext<Object>> action) {
    }

    /** A watcher that runs {@link Do}s and reports every signal and other message to {@code probe}. */
    static Behavior<Object> watcher(ActorRef<Object> probe) {
        return Behaviors.receive((context, message) -> {
            if (message instanceof Do d) {
                d.action().accept(context);
            } else {
                probe.tell(message);
            }
            return Behaviors.same();
        }, (context, signal) -> {
            if (signal instanceof PostStop) {
                return Behaviors.same();
            }
            probe.tell(signal);
            return Behaviors.same();
        });
    }

    static Behavior<String> stoppable(ActorRef<Object> probe) {
        return Behaviors.receive((context, message) -> switch (message) {
            case "stop" -> Behaviors.stopped();
            case "fail" -> throw new IllegalStateException("boom");
            default -> {
                probe.tell(message);
                yield Behaviors.same();
            }
        });
    }

    /** A watcher actor that watches {@code target}, once it does. */
    static ActorRef<Object> watching(ActorSystem<?> system, TestProbe<Object> probe, ActorRef<?> target) {
        ActorRef<Object> watcher = system.systemActorOf(watcher(probe.ref()), "watcher");
        watcher.tell(new Do(context -> {
            context.watch(target);
            context.watch(target); // watching again is harmless
            probe.ref().tell("watching");
        }));
        probe.expectMessage("watching");
        return watcher;
    }

    @Test
    void shouldSignalTerminatedOnceWhenAWatchedActorStops() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<String> target = system.systemActorOf(stoppable(probe.ref()), "target");
        ActorRef<Object> watcher = watching(system, probe, target);
        target.tell("stop");
        assertThat(probe.expectMessage()).isEqualTo(new Terminated(target))
                .isNotInstanceOf(ChildFailed.class);
        watcher.tell("sync");
        probe.expectMessage("sync");
        probe.expectNoMessageQueued();
    }

    @Test
    void shouldSignalTerminatedNotChildFailedToAWatcherThatIsNotTheParent() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<String> target = system.systemActorOf(stoppable(probe.ref()), "target");
        ActorRef<Object> watcher = watching(system, probe, target);
        target.tell("fail");
        Object signal = probe.expectMessage();
        assertThat(signal).isEqualTo(new Terminated(target));
        assertThat(signal.getClass()).isEqualTo(Terminated.class);
    }

    @Test
    void shouldSignalChildFailedWithTheCauseToTheWatchingParent() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> parent = system.systemActorOf(watcher(probe.ref()), "parent");
        AtomicReference<ActorRef<String>> child = new AtomicReference<>();
        parent.tell(new Do(context -> {
            child.set(context.spawn(stoppable(probe.ref()), "child"));
            context.watch(child.get());
            child.get().tell("fail");
        }));
        ChildFailed failed = (ChildFailed) probe.expectMessage();
        assertThat(failed.ref()).isEqualTo(child.get());
        assertThat(failed.cause()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    }

    @Test
    void shouldDeliverTheWatchWithMessageInsteadOfTerminated() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> watcher = system.systemActorOf(watcher(probe.ref()), "watcher");
        ActorRef<String> target = system.systemActorOf(stoppable(probe.ref()), "target");
        watcher.tell(new Do(context -> {
            context.watchWith(target, "target is gone");
            target.tell("stop");
        }));
        probe.expectMessage("target is gone");
        watcher.tell("sync");
        probe.expectMessage("sync");
        probe.expectNoMessageQueued();
    }

    @Test
    void shouldSignalNothingForAnUnwatchedActor() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        TestProbe<Object> other = TestProbe.create(system);
        ActorRef<Object> watcher = system.systemActorOf(watcher(probe.ref()), "watcher");
        ActorRef<Object> witness = system.systemActorOf(watcher(other.ref()), "witness");
        ActorRef<String> first = system.systemActorOf(stoppable(probe.ref()), "first");
        ActorRef<String> second = system.systemActorOf(stoppable(probe.ref()), "second");
        witness.tell(new Do(context -> {
            context.watch(first);
            other.ref().tell("witnessing");
        }));
        other.expectMessage("witnessing");
        watcher.tell(new Do(context -> {
            context.watch(first);
            context.watch(second);
            context.unwatch(first);
            first.tell("stop");
        }));
        other.expectMessage(new Terminated(first)); // first has told all its watchers by now
        second.tell("stop");
        assertThat(probe.expectMessage()).as("the first notice the watcher gets")
                .isEqualTo(new Terminated(second));
    }

    @Test
    void shouldSignalTerminatedAtOnceForAnActorAlreadyStopped() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> watcher = system.systemActorOf(watcher(probe.ref()), "watcher");
        ActorRef<String> target = system.systemActorOf(stoppable(probe.ref()), "target");
        watcher.tell(new Do(context -> {
            context.watch(target);
            target.tell("stop");
        }));
        probe.expectMessage(new Terminated(target));
        ActorRef<String> resolved = system.refResolver().resolveActorRef(target.path());
        watcher.tell(new Do(context -> {
            context.watch(target); // the stale local ref
            context.watchWith(resolved, "resolved is gone"); // a dead ref from its path: the same path
        }));
        probe.expectMessage("resolved is gone");
        watcher.tell("sync");
        probe.expectMessage("sync");
        probe.expectNoMessageQueued();
    }

    @Test
    void shouldFailWithDeathPactWhenTerminatedIsNotHandled() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> grandparent = system.systemActorOf(watcher(probe.ref()), "grandparent");
        AtomicReference<ActorRef<String>> target = new AtomicReference<>();
        AtomicReference<ActorRef<Object>> pact = new AtomicReference<>();
        grandparent.tell(new Do(context -> {
            pact.set(context.spawn(Behaviors.setup(inner -> {
                target.set(inner.spawn(stoppable(probe.ref()), "target"));
                inner.watch(target.get());
                return Behaviors.receiveMessage(m -> Behaviors.same()); // signals unhandled
            }), "pact"));
            context.watch(pact.get());
            probe.ref().tell("spawned");
        }));
        probe.expectMessage("spawned");
        target.get().tell("stop");
        ChildFailed failed = (ChildFailed) probe.expectMessage();
        assertThat(failed.ref()).isEqualTo(pact.get());
        assertThat(failed.cause()).isInstanceOf(DeathPactException.class);
        assertThat(((DeathPactException) failed.cause()).ref()).isEqualTo(target.get());
    }

    @Test
    void shouldSignalTerminatedForAnActorOfANodeThatIsGone() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> watcher = system.systemActorOf(watcher(probe.ref()), "watcher");
        // no such node in the base directory: the transport knows it as gone, so its actors are dead
        ActorRef<String> remote = system.refResolver().resolveActorRef(new ActorPath(system.name(),
                system.nodeId() + 1, "/user/elsewhere", 1));
        watcher.tell(new Do(context -> context.watch(remote)));
        probe.expectMessage(new Terminated(remote));
        watcher.tell(new Do(context -> {
            context.unwatch(remote);
            probe.ref().tell("unwatched");
        }));
        probe.expectMessage("unwatched");
        probe.expectNoMessageQueued();
    }

    @Test
    void shouldRefuseToWatchAnAdapter() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<Object> watcher = system.systemActorOf(watcher(probe.ref()), "watcher");
        watcher.tell(new Do(context -> {
            ActorRef<Integer> adapter = context.messageAdapter(Integer.class, i -> "adapted " + i);
            try {
                context.watch(adapter);
                probe.ref().tell("watched");
            } catch (IllegalArgumentException e) {
                probe.ref().tell(e.getMessage());
            }
        }));
        assertThat((String) probe.expectMessage()).contains("adapter").contains("only actors can be watched");
    }

    @Test
    void shouldRefuseWatchFromAnotherThread() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        AtomicReference<ActorContext<Object>> leaked = new AtomicReference<>();
        ActorRef<Object> watcher = system.systemActorOf(watcher(probe.ref()), "watcher");
        watcher.tell(new Do(context -> {
            leaked.set(context);
            probe.ref().tell("leaked");
        }));
        probe.expectMessage("leaked");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> leaked.get().watch(probe.ref()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("watcher");
    }
}
