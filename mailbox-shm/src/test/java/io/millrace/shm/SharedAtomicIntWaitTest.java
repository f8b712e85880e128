package io.millrace.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SharedAtomicInt#awaitChange} and {@link SharedAtomicInt#wakeAll}: a word one thread sleeps on, another wakes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SharedAtomicIntWaitTest {
    /** Longer than the test's timeout: a sleep that only its own timer ended would fail the test. */
    private static final long FOREVER_NANOS = TimeUnit.SECONDS.toNanos(120);

    private Arena arena;
    private SharedAtomicInt word;

    @BeforeEach
    void allocate() {
        arena = Arena.ofShared();
        MemorySegment block = arena.allocate(64, 64);
        word = SharedAtomicInt.at("reply-state", block, 8);
    }

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void shouldWakeASleeperWhenTheValueChangesAndWakeAllIsCalled() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        CountDownLatch woke = new CountDownLatch(1);
        Thread sleeper = Thread.ofPlatform().start(() -> {
            sleeping.countDown();
            while (word.get() == 0) {
                word.awaitChange(0, FOREVER_NANOS);
            }
            woke.countDown();
        });
        assertThat(sleeping.await(10, TimeUnit.SECONDS)).isTrue();
        word.set(1);
        word.wakeAll();
        assertThat(woke.await(20, TimeUnit.SECONDS)).as("the sleeper saw the change").isTrue();
        sleeper.join();
    }

    @Test
    void shouldReturnAtOnceWhenTheValueDiffers() {
        word.set(5);
        word.awaitChange(4, FOREVER_NANOS); // a sleep here would outlast the test's timeout
        assertThat(word.get()).isEqualTo(5);
    }

    @Test
    void shouldReturnByItsTimeoutWithoutAWake() {
        long start = System.nanoTime();
        word.awaitChange(0, TimeUnit.MILLISECONDS.toNanos(5));
        assertThat(System.nanoTime() - start).as("slept").isPositive();
        assertThat(word.get()).isZero();
    }

    @Test
    void shouldRefuseANonPositiveTimeoutNamingIt() {
        assertThatThrownBy(() -> word.awaitChange(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeoutNanos=0").hasMessageContaining("name=reply-state");
    }

    @Test
    void shouldRefuseAMisalignedWordNamingTheOffset() {
        MemorySegment block = arena.allocate(64, 64);
        assertThatThrownBy(() -> SharedAtomicInt.at("x", block, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset=6");
    }
}
