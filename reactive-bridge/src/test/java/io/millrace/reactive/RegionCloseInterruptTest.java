package io.millrace.reactive;

import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thread of the user that offers into a region's ring as the bridge's own thread closes that region must not be
 * left interrupted (the JDK sets the interrupt flag of a thread inside an access of a shared arena being closed):
 * the TCK's {@code main} failed {@code required_spec105} at once with an {@code InterruptedException} this way.
 */
class RegionCloseInterruptTest {
    private static final int ROUNDS = 1_000;

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    @AfterEach
    void clearFlag() {
        Thread.interrupted(); // a failed round must not fail the tests that follow on this thread
    }

    @Test
    void shouldNotLeaveTheClosingThreadInterruptedAsThePublisherThreadClosesItsRegion() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            Streams.publish("closing-" + round, String.class, Flux.<String>empty(), shm.directory()).close();
            assertThat(Thread.currentThread().isInterrupted()).as("interrupted after close of round=%d", round)
                    .isFalse();
        }
        TestFiles.awaitNone(shm);
    }

    @Test
    void shouldNotLeaveARequestingThreadInterruptedAsItsSubscriptionEnds() throws Exception {
        try (Publication p = Streams.publish("ending", String.class, Flux.just("a"), shm.directory())) {
            for (int round = 0; round < ROUNDS; round++) {
                Ending subscriber = new Ending();
                Streams.flux("ending", String.class, shm.directory()).subscribe(subscriber);
                assertThat(subscriber.subscribed.await(10, TimeUnit.SECONDS)).isTrue();
                // each bad request wakes the receiving thread through its data ring, racing its tear-down
                while (subscriber.ended.getCount() > 0) {
                    subscriber.subscription.request(0);
                }
                assertThat(Thread.currentThread().isInterrupted()).as("interrupted after round=%d", round)
                        .isFalse();
            }
        }
        TestFiles.awaitNone(shm);
    }

    /** Takes its subscription and requests nothing; counts down once the stream has ended (by the §3.9 error). */
    private static final class Ending extends BaseSubscriber<String> {
        final CountDownLatch subscribed = new CountDownLatch(1);
        final CountDownLatch ended = new CountDownLatch(1);
        volatile Subscription subscription;

        @Override
        protected void hookOnSubscribe(Subscription s) {
            subscription = s;
            subscribed.countDown();
        }

        @Override
        protected void hookFinally(reactor.core.publisher.SignalType type) {
            ended.countDown();
        }
    }
}
