package io.millrace.reactive;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.AskTimeoutException;
import io.millrace.actors.Behaviors;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Streams#ask}: an actor's ask as a Mono. */
class AskMonoTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    record Ask(int n, ActorRef<Integer> replyTo) {
    }

    private final AtomicInteger asked = new AtomicInteger();
    private ActorSystem<Ask> system;

    private ActorSystem<Ask> system(boolean reply) {
        ActorSystemConfig config = ActorSystemConfig.defaults().withBaseDirectory(shm.path())
                .withDispatcherThreads(1).withMailboxCapacity(1024).withTerminateTimeout(Duration.ofSeconds(20));
        system = ActorSystem.create(Behaviors.<Ask>receiveMessage(a -> {
            asked.incrementAndGet();
            if (reply) {
                a.replyTo().tell(a.n() * 2);
            }
            return Behaviors.same();
        }), "ask-mono", config);
        return system;
    }

    @AfterEach
    void close() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void shouldSendNothingUntilSubscribedThenOneRequestPerSubscription() {
        ActorSystem<Ask> doubler = system(true);
        Mono<Integer> reply = Streams.<Ask, Integer>ask(doubler, r -> new Ask(21, r), WAIT, doubler);
        assertThat(asked.get()).isZero();
        StepVerifier.create(reply).expectNext(42).verifyComplete();
        StepVerifier.create(reply).expectNext(42).verifyComplete();
        assertThat(asked.get()).isEqualTo(2);
    }

    @Test
    void shouldFailWithTheAskTimeoutWhenNoReplyComes() {
        ActorSystem<Ask> silent = system(false);
        StepVerifier.create(Streams.<Ask, Integer>ask(silent, r -> new Ask(1, r), Duration.ofMillis(200), silent))
                .expectError(AskTimeoutException.class)
                .verify(WAIT);
        assertThat(asked.get()).isEqualTo(1);
    }

    @Test
    void shouldRefuseATimeoutThatIsNotPositiveAtOnce() {
        ActorSystem<Ask> doubler = system(true);
        assertThatThrownBy(() -> Streams.<Ask, Integer>ask(doubler, r -> new Ask(1, r), Duration.ZERO, doubler))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout=PT0S");
        assertThat(asked.get()).isZero();
    }
}
