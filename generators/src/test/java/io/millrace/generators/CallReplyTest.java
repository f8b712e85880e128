package io.millrace.generators;

import io.millrace.reactive.RemoteException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link WorkerPool#call}'s results through {@link ReplySlots} (a worker leaves the result where the caller waits):
 * every way a slot ends, on one worker, so that a worker not given back to the pool would hang the next call.
 */
class CallReplyTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PoolDirectory DIR = new PoolDirectory(1);

    @Test
    void shouldReturnResultsAndErrorsTooLargeForTheSlotThroughTheLane() throws Exception {
        String large = DIR.pool().call(() -> "x".repeat(ReplySlots.CAPACITY * 5), WAIT);
        assertThat(large).hasSize(ReplySlots.CAPACITY * 5);
        assertThat(DIR.pool().<Integer>call(() -> 42, WAIT)).as("small: in the slot").isEqualTo(42);
        SerializableCallable<Integer> failing = () -> {
            throw new IllegalStateException("m".repeat(ReplySlots.CAPACITY * 2));
        };
        assertThatThrownBy(() -> DIR.pool().call(failing, WAIT)).isInstanceOfSatisfying(RemoteException.class,
                e -> assertThat(e.remoteMessage()).hasSize(ReplySlots.CAPACITY * 2));
        assertThatThrownBy(() -> DIR.pool().call(() -> 1 / zero(), WAIT)).isInstanceOf(RemoteException.class)
                .hasMessageContaining("ArithmeticException");
        assertThat(DIR.pool().replies().freeSlots()).isEqualTo(ReplySlots.SLOTS);
    }

    @Test
    void shouldAnswerCallsThroughTheLaneWhileSlotsAreTurnedOff() throws Exception {
        DIR.pool().replies().enabled(false);
        try {
            assertThat(DIR.pool().replies().claim(Long.MAX_VALUE)).as("no slot handed out").isEqualTo(-1);
            assertThat(DIR.pool().<Integer>call(() -> 5, WAIT)).isEqualTo(5);
            assertThatThrownBy(() -> DIR.pool().call(() -> 1 / zero(), WAIT)).isInstanceOf(RemoteException.class)
                    .hasMessageContaining("ArithmeticException");
        } finally {
            DIR.pool().replies().enabled(true);
        }
        assertThat(DIR.pool().<Integer>call(() -> 6, WAIT)).as("slots again").isEqualTo(6);
        assertThat(DIR.pool().replies().freeSlots()).isEqualTo(ReplySlots.SLOTS);
    }

    @Test
    void shouldGiveTheWorkerOfACallThatTimedOutBackToThePoolWhenItsTaskEnds() throws Exception {
        SerializableCallable<Integer> slow = () -> {
            Thread.sleep(300);
            return 1;
        };

        assertThatThrownBy(() -> DIR.pool().call(slow, Duration.ofMillis(20))).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("timeout=PT0.02S");
        assertThat(DIR.pool().<Integer>call(() -> 2, WAIT)).as("the one worker is free again").isEqualTo(2);
        assertThat(DIR.pool().replies().freeSlots()).as("the abandoned slot freed by the pool")
                .isEqualTo(ReplySlots.SLOTS);
    }

    @Test
    void shouldThrowInterruptedExceptionForAnInterruptedCallerAndKeepThePoolUsable() throws Exception {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> DIR.pool().call(() -> {
            Thread.sleep(200);
            return 1;
        }, WAIT)).isInstanceOf(InterruptedException.class).hasMessageContaining("interrupted");

        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(DIR.pool().<Integer>call(() -> 3, WAIT)).isEqualTo(3);
        assertThat(DIR.pool().replies().freeSlots()).isEqualTo(ReplySlots.SLOTS);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void shouldAnswerEveryCallerWhenMoreWaitAtOnceThanThereAreSlots(boolean virtual) throws Exception {
        int callers = ReplySlots.SLOTS + 36;
        List<Future<Integer>> results = new ArrayList<>();
        CompletableFuture<Void> go = new CompletableFuture<>();
        try (ExecutorService threads = virtual ? Executors.newVirtualThreadPerTaskExecutor()
                : Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
            for (int i = 0; i < callers; i++) {
                int n = i;
                results.add(threads.submit(() -> {
                    go.get(60, TimeUnit.SECONDS);
                    return DIR.pool().call(() -> n * 2, WAIT);
                }));
            }
            go.complete(null);
            for (int i = 0; i < callers; i++) {
                assertThat(results.get(i).get(60, TimeUnit.SECONDS)).isEqualTo(i * 2);
            }
        }
        assertThat(DIR.pool().replies().freeSlots()).isEqualTo(ReplySlots.SLOTS);
    }

    @Test
    void shouldFailACallWhoseWorkerIsKilledWithWorkerDiedExceptionAndFreeItsSlot() throws Exception {
        assertThatThrownBy(() -> DIR.pool().call(() -> {
            ChildState.killSelf();
            return 0;
        }, WAIT)).isInstanceOfSatisfying(WorkerDiedException.class, e -> assertThat(e.exitStatus()).isEqualTo(-9));

        assertThat(DIR.pool().<Integer>call(() -> 4, WAIT)).as("on the replacement").isEqualTo(4);
        assertThat(DIR.pool().replies().freeSlots()).isEqualTo(ReplySlots.SLOTS);
    }

    @Test
    void shouldCloseAPoolWithAnAbandonedCallAndLeaveNoFiles() throws Exception {
        WorkerPool closing = DIR.pool(WorkerPool.builder().size(1));
        assertThat(closing.<Integer>call(() -> 1, WAIT)).isEqualTo(1);
        assertThatThrownBy(() -> closing.call(() -> {
            Thread.sleep(300);
            return 2;
        }, Duration.ofMillis(10))).isInstanceOf(TimeoutException.class);

        closing.close(); // the worker ends its task, then exits: its job ends after the slots are closed

        assertThat(closing.isClosed()).isTrue();
        assertThat(DIR.files()).as("its replies region removed").noneMatch(closing.replies().name()::equals);
        assertThatThrownBy(() -> closing.call(() -> 3, WAIT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
    }

    private static int zero() {
        return 0;
    }
}
