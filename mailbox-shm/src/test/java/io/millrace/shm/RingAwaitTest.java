package io.millrace.shm;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RingConsumer#await} and {@link RingConsumer#wakeConsumer}: one sleeper for a ring and other sources. */
class RingAwaitTest {

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    private SharedRegion region;

    private Ring ring(String strategy) {
        region = shm.directory().create(RegionSpec.named("await").mpscRing("r", 4096).build());
        Ring ring = region.ring("r");
        ring.waitStrategy(switch (strategy) {
            case "busySpin" -> WaitStrategy.busySpin();
            case "yielding" -> WaitStrategy.yielding();
            case "backoff" -> WaitStrategy.backoff();
            case "spinThenBlock" -> WaitStrategy.spinThenBlock(java.time.Duration.ofNanos(100_000));
            default -> WaitStrategy.blocking();
        });
        ring.poll((type, buffer, offset, length) -> { }, 1); // become the consumer
        return ring;
    }

    @AfterEach
    void closeRegion() {
        if (region != null) {
            region.close();
            region.unlink();
        }
    }

    private static CompletableFuture<Void> awaitOnThread(Ring ring, java.util.function.BooleanSupplier also) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                while (!also.getAsBoolean() && ring.stats().lag() == 0) {
                    ring.consumer().await(also, System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
                }
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocking", "backoff", "yielding", "busySpin", "spinThenBlock"})
    void shouldReturnWhenARecordIsPublished(String strategy) throws Exception {
        Ring ring = ring(strategy);
        CompletableFuture<Void> done = awaitOnThread(ring, () -> false);
        Thread.sleep(20); // let it fall asleep (not needed for correctness: a publish before the sleep also counts)
        assertThat(ring.offer(1, new byte[8], 0, 8)).isEqualTo(OfferStatus.ACCEPTED);
        done.get(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"blocking", "backoff", "spinThenBlock"})
    void shouldReturnWhenWokenForAnotherSource(String strategy) throws Exception {
        Ring ring = ring(strategy);
        AtomicBoolean otherWork = new AtomicBoolean();
        CompletableFuture<Void> done = awaitOnThread(ring, otherWork::get);
        Thread.sleep(20);
        otherWork.set(true);
        ring.consumer().wakeConsumer();
        done.get(30, TimeUnit.SECONDS);
    }

    @Test
    void shouldRefuseASpinThatIsNegativeOrLongerThan10Ms() {
        assertThatThrownBy(() -> WaitStrategy.spinThenBlock(java.time.Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spin=PT-0.000000001S");
        assertThatThrownBy(() -> WaitStrategy.spinThenBlock(java.time.Duration.ofMillis(11)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spin=PT0.011S");
        assertThat(WaitStrategy.spinThenBlock(java.time.Duration.ZERO).toString()).startsWith("spin-then-block(0 ns");
    }

    @Test
    void shouldReturnAtTheDeadlineAndNotBeforeWhenAProducerHasLeft() {
        Ring ring = ring("blocking");
        assertThat(ring.joinAsProducer()).isTrue();
        ring.leaveAsProducer(); // a producer left: no record, so no reason to wake (a wake here would be a spin)
        long start = System.nanoTime();
        ring.consumer().await(() -> false, start + TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
    }

    @Test
    void shouldRefuseAnAwaitFromInsideAHandler() {
        Ring ring = ring("blocking");
        ring.offer(1, new byte[8], 0, 8);
        AtomicBoolean refused = new AtomicBoolean();
        ring.poll((type, buffer, offset, length) -> assertThatThrownBy(() -> ring.consumer().await(() -> false,
                System.nanoTime())).isInstanceOf(IllegalStateException.class).hasMessageContaining("await")
                .satisfies(e -> refused.set(true)), 1);
        assertThat(refused).isTrue();
    }

    @Test
    void shouldIgnoreAWakeAfterTheRegionIsClosed() {
        Ring ring = ring("blocking");
        RingConsumer consumer = ring.consumer();
        region.close();
        consumer.wakeConsumer(); // a late teller of a terminated node: nothing to wake, no exception
        assertThat(region.isClosed()).isTrue();
    }
}
