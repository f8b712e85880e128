package io.millrace.generators;

import io.millrace.reactive.RemoteException;
import io.millrace.reactive.StreamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Generators in a worker JVM, streamed back as a Flux; the pool has one worker, so each test sees it freed. */
class GeneratorsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PoolDirectory DIR = new PoolDirectory(1);

    @Test
    void shouldStreamTheGeneratorsElementsInOrderWithACodecTypeAndSerialized() {
        Flux<Integer> coded = Generators.flux(DIR.pool(), Integer.class, () -> List.of(1, 2, 3).iterator());
        Flux<BigInteger> serialized = Generators.flux(DIR.pool(), null,
                () -> Stream.iterate(BigInteger.ONE, b -> b.shiftLeft(40)).limit(4).iterator());

        StepVerifier.create(coded).expectNext(1, 2, 3).expectComplete().verify(WAIT);
        StepVerifier.create(serialized).expectNext(BigInteger.ONE, BigInteger.ONE.shiftLeft(40),
                BigInteger.ONE.shiftLeft(80), BigInteger.ONE.shiftLeft(120)).expectComplete().verify(WAIT);
    }

    @Test
    void shouldAdvanceAnInfiniteGeneratorOnlyAsFarAsDemandAndStopItOnCancel() throws Exception {
        Flux<Long> naturals = Generators.flux(DIR.pool(), Long.class, ChildState::naturals);

        StepVerifier.create(naturals, 0).thenRequest(3).expectNext(0L, 1L, 2L).thenRequest(2).expectNext(3L, 4L)
                .thenCancel().verify(WAIT);
        // as Flux.fromIterable does in one JVM: the demand, and at most one element read ahead
        assertThat(DIR.pool().call(ChildState::generated, WAIT)).isBetween(5L, 6L);

        assertThat(naturals.take(10).collectList().block(WAIT)).hasSize(10).startsWith(0L).endsWith(9L);
        // the generator stopped and gave its only worker back: this task runs there and sees the count
        assertThat(DIR.pool().call(ChildState::generated, WAIT)).isBetween(10L, 11L);
    }

    @Test
    void shouldDeliverTheGeneratorsExceptionAsOnErrorAfterItsElements() {
        Flux<String> failing = Generators.flux(DIR.pool(), String.class, () -> ChildState.failingAt(2));

        StepVerifier.create(failing).expectNext("r0", "r1").expectErrorSatisfies(e -> {
            assertThat(e).isInstanceOf(RemoteException.class);
            assertThat(((RemoteException) e).remoteClassName()).isEqualTo(IllegalArgumentException.class.getName());
            assertThat(((RemoteException) e).remoteMessage()).isEqualTo("bad record 2");
        }).verify(WAIT);
    }

    @Test
    void shouldRunTheStreamAndSinkForms() {
        Flux<Integer> stream = Generators.fromStream(DIR.pool(), Integer.class, () -> IntStream.range(0, 5).boxed());
        Flux<String> sink = Generators.create(DIR.pool(), String.class, s -> {
            s.next("a");
            s.next("b");
            s.complete();
        });

        StepVerifier.create(stream).expectNext(0, 1, 2, 3, 4).expectComplete().verify(WAIT);
        StepVerifier.create(sink).expectNext("a", "b").expectComplete().verify(WAIT);
    }

    @Test
    void shouldFailTheStreamWhenItsWorkerDiesAndReplaceTheWorker() throws Exception {
        Flux<Integer> dying = Generators.flux(DIR.pool(), Integer.class, () -> Stream.iterate(0, i -> i + 1).peek(i -> {
            if (i == 3) {
                ChildState.killSelf();
            }
        }).iterator());

        StepVerifier.create(dying).expectNextCount(3).expectError(StreamException.class).verify(WAIT);
        assertThat(DIR.pool().call(() -> 7, WAIT)).isEqualTo(7);
    }

    @Test
    void shouldGiveTheWorkerBackWhenCancelledBeforeTheStreamWasSubscribed() throws Exception {
        Flux<Long> naturals = Generators.flux(DIR.pool(), Long.class, ChildState::naturals);

        StepVerifier.create(naturals, 0).thenCancel().verify(WAIT);

        assertThat(DIR.pool().call(() -> 8, WAIT)).isEqualTo(8);
    }
}
