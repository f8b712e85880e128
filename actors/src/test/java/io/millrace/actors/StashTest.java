package io.millrace.actors;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StashTest extends ActorTestKit {

    /** Stashes until "open", then handles everything in arrival order. */
    private static Behavior<String> gate(ActorRef<Object> probe) {
        return Behaviors.withStash(10, stash -> Behaviors.receiveMessage(message -> {
            if (message.equals("open")) {
                probe.tell("size " + stash.size() + " full " + stash.isFull() + " head " + stash.head());
                return stash.unstashAll(open(probe));
            }
            stash.stash(message);
            return Behaviors.same();
        }));
    }

    private static Behavior<String> open(ActorRef<Object> probe) {
        return Behaviors.receiveMessage(message -> {
            probe.tell(message);
            return Behaviors.same();
        });
    }

    @Test
    void shouldUnstashInArrivalOrderBeforeLaterMessages() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<String> actor = system.systemActorOf(gate(probe.ref()), "gate");
        for (int i = 0; i < 5; i++) {
            actor.tell("m" + i);
        }
        actor.tell("open");
        actor.tell("after");
        assertThat(probe.receiveMessages(7)).containsExactly("size 5 full false head m0", "m0", "m1", "m2", "m3",
                "m4", "after");
    }

    @Test
    void shouldThrowTheNamedOverflowExceptionWhenFull() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        ActorRef<String> actor = system.systemActorOf(Behaviors.<String>withStash(2, stash ->
                Behaviors.receiveMessage(message -> {
                    try {
                        stash.stash(message);
                        probe.ref().tell("stashed " + stash.size() + " full " + stash.isFull());
                    } catch (StashOverflowException e) {
                        probe.ref().tell(e);
                    }
                    return Behaviors.same();
                })), "small");
        actor.tell("a");
        actor.tell("b");
        actor.tell("c");
        probe.expectMessage("stashed 1 full false");
        probe.expectMessage("stashed 2 full true");
        assertThat(probe.expectMessageClass(StashOverflowException.class))
                .hasMessageContaining("capacity=2").hasMessageContaining("/system/small");
    }

    @Test
    void shouldUnstashACountWrappedAndKeepRestashedMessagesForLater() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        List<String> seen = new ArrayList<>();
        ActorRef<String> actor = system.systemActorOf(Behaviors.<String>withStash(10, stash ->
                Behaviors.receiveMessage(message -> {
                    if (message.equals("two")) {
                        Behavior<String> restashing = Behaviors.receiveMessage(m -> {
                            seen.add(m);
                            stash.stash(m + "'");
                            return Behaviors.same();
                        });
                        Behavior<String> next = stash.unstash(restashing, 2, String::toUpperCase);
                        probe.ref().tell(seen + " left " + stash.size() + " contains " + stash.contains("x'"));
                        return next;
                    }
                    stash.stash(message);
                    return Behaviors.same();
                })), "partial");
        actor.tell("x");
        actor.tell("y");
        actor.tell("z");
        actor.tell("two");
        probe.expectMessage("[X, Y] left 3 contains false");
    }
}
