package io.millrace.actors;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AskPatternTest extends ActorTestKit {

    record Ping(int n, ActorRef<Integer> replyTo) {
    }

    private static Behavior<Ping> doubler() {
        return Behaviors.receiveMessage(ping -> {
            ping.replyTo().tell(ping.n() * 2);
            return Behaviors.same();
        });
    }

    @Test
    void shouldCompleteWithTheReply() throws Exception {
        ActorSystem<Ping> system = system(doubler());
        CompletionStage<Integer> reply = AskPattern.ask(system, replyTo -> new Ping(21, replyTo),
                Duration.ofSeconds(10), system.scheduler());
        assertThat(reply.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(42);
    }

    @Test
    void shouldTimeOutNamingTheTargetAndTheMessageClass() {
        ActorSystem<Void> system = system();
        ActorRef<Ping> silent = system.systemActorOf(Behaviors.ignore(), "silent");
        CompletionStage<Integer> reply = AskPattern.ask(silent, replyTo -> new Ping(1, replyTo),
                Duration.ofMillis(50), system);
        assertThatThrownBy(() -> reply.toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(AskTimeoutException.class)
                .hasMessageContaining("/system/silent").hasMessageContaining(Ping.class.getName())
                .hasMessageContaining("50 ms");
    }

    @Test
    void shouldSendALateReplyToDeadLetters() throws Exception {
        ActorSystem<Void> system = system();
        TestProbe<DeadLetter> dead = TestProbe.create(system);
        system.deadLetters().subscribe(dead.ref()::tell);
        ActorRef<Ping> twice = system.systemActorOf(Behaviors.receiveMessage(ping -> {
            ping.replyTo().tell(1);
            ping.replyTo().tell(2);
            return Behaviors.same();
        }), "twice");
        CompletionStage<Integer> reply = AskPattern.ask(twice, r -> new Ping(0, r), Duration.ofSeconds(10), system);
        assertThat(reply.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(dead.expectMessage().message()).isEqualTo(2);
    }

    @Test
    void shouldFailAfterTerminateAndRefuseBadArguments() {
        ActorSystem<Ping> system = system(doubler());
        assertThatThrownBy(() -> AskPattern.<Ping, Integer>ask(system, r -> new Ping(1, r), Duration.ZERO, system))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout=PT0S");
        system.close();
        CompletionStage<Integer> reply = AskPattern.<Ping, Integer>ask(system, r -> new Ping(1, r),
                Duration.ofSeconds(1), system);
        assertThatThrownBy(() -> reply.toCompletableFuture().get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("is terminated");
    }

    @Test
    void shouldFailPendingAsksWhenTheSystemTerminates() {
        ActorSystem<Void> system = system();
        ActorRef<Ping> silent = system.systemActorOf(Behaviors.ignore(), "silent");
        CompletionStage<Integer> reply = AskPattern.ask(silent, r -> new Ping(1, r), Duration.ofHours(1), system);
        system.close();
        assertThatThrownBy(() -> reply.toCompletableFuture().get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("is terminated");
    }
}
