package io.millrace.actors;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLettersTest extends ActorTestKit {

    @Test
    void shouldCountAndPublishMessagesToAStoppedActor() throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<DeadLetter> dead = TestProbe.create(system);
        AutoCloseable subscription = system.deadLetters().subscribe(dead.ref()::tell);
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        ActorRef<String> actor = system.systemActorOf(Behaviors.setup(c -> Behaviors.stopped(() ->
                stopped.complete(null))), "short");
        stopped.get(10, TimeUnit.SECONDS);
        long before = system.deadLetters().count();
        actor.tell("one");
        actor.tell("two");
        assertThat(dead.receiveMessages(2)).containsExactly(
                new DeadLetter("one", actor.path(), DeadLetter.Reason.RECIPIENT_STOPPED),
                new DeadLetter("two", actor.path(), DeadLetter.Reason.RECIPIENT_STOPPED));
        assertThat(system.deadLetters().count()).isEqualTo(before + 2);
        subscription.close();
        actor.tell("three");
        assertThat(system.deadLetters().count()).isEqualTo(before + 3);
    }

    @Test
    void shouldDeadLetterTellsAfterTerminate() {
        ActorSystem<String> system = system(Behaviors.ignore());
        ActorRef<String> actor = system.systemActorOf(Behaviors.ignore(), "late");
        CompletableFuture<DeadLetter> letter = new CompletableFuture<>();
        system.deadLetters().subscribe(d -> {
            if (d.message().equals("after")) {
                letter.complete(d);
            }
        });
        system.close();
        long before = system.deadLetters().count();
        actor.tell("after");
        system.tell("after");
        assertThat(system.deadLetters().count()).isEqualTo(before + 2);
        assertThat(letter.join().reason()).isEqualTo(DeadLetter.Reason.SYSTEM_TERMINATED);
    }

    @Test
    void shouldResolveRefsOfStoppedIncarnationsAndOtherNodesToDeadLetters() throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<DeadLetter> dead = TestProbe.create(system);
        system.deadLetters().subscribe(dead.ref()::tell);
        ActorRef<String> live = system.systemActorOf(Behaviors.ignore(), "live");
        ActorRefResolver resolver = system.refResolver();
        assertThat(resolver.<String>resolveActorRef(live.path())).isSameAs(live);

        ActorPath staleIncarnation = new ActorPath(system.name(), system.nodeId(), live.path().path(),
                live.path().uid() + 1000);
        ActorRef<String> stale = resolver.resolveActorRef(staleIncarnation);
        assertThat(stale).isNotEqualTo(live);
        stale.tell("to stale");
        assertThat(dead.expectMessage()).isEqualTo(new DeadLetter("to stale", staleIncarnation,
                DeadLetter.Reason.RECIPIENT_STOPPED));

        ActorPath remote = new ActorPath("other", system.nodeId() + 1, "/user/x", 1);
        ActorRef<String> remoteRef = resolver.resolveActorRef(remote);
        assertThat(remoteRef).isEqualTo(resolver.resolveActorRef(remote));
        remoteRef.tell("to remote");
        assertThat(dead.expectMessage()).isEqualTo(new DeadLetter("to remote", remote,
                DeadLetter.Reason.NODE_GONE));
        assertThat(DeadLetter.Reason.NODE_GONE).hasToString("node gone");
    }

    @Test
    void shouldKeepCountingWhenTheLogLimitIsReached() {
        ActorSystem<Void> system = system(Behaviors.empty(), smallConfig().withDeadLetterLogLimit(1));
        ActorRef<String> stale = system.refResolver().resolveActorRef(new ActorPath(system.name(), system.nodeId(),
                "/system/none", 999_999));
        long before = system.deadLetters().count();
        for (int i = 0; i < 100; i++) {
            stale.tell("m" + i);
        }
        assertThat(system.deadLetters().count()).isEqualTo(before + 100);
    }
}
