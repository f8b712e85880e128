package io.millrace.shm;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How a thread waits for progress in a blocking ring call ({@link Ring#receive}, {@link Ring#send}): from
 * burning a core for the lowest latency to sleeping in the kernel until woken.
 *
 * <table>
 *   <caption>Strategies</caption>
 *   <tr><th>strategy</th><th>idle CPU</th><th>wake-up</th></tr>
 *   <tr><td>{@link #busySpin()}</td><td>a whole core</td><td>tens of nanoseconds</td></tr>
 *   <tr><td>{@link #yielding()}</td><td>a whole core, shared with others</td><td>sub-microsecond to scheduler
 *   quantum</td></tr>
 *   <tr><td>{@link #backoff()}</td><td>little: spin, then yield, then parks of growing length up to 1 ms</td>
 *   <td>up to 1 ms</td></tr>
 *   <tr><td>{@link #blocking()}</td><td>none: sleeps on a futex in shared memory (Linux), parks elsewhere</td>
 *   <td>microseconds: the publisher wakes it</td></tr>
 *   <tr><td>{@link #spinThenBlock(Duration)}</td><td>one spin of the given length a wait, then none</td>
 *   <td>tens of nanoseconds within the spin, then as blocking</td></tr>
 * </table>
 *
 * Every strategy returns by the caller's deadline, so every blocking call keeps its timeout.
 */
public abstract sealed class WaitStrategy {

    private static final int SPINS = 100;
    private static final int YIELDS = 10;

    private WaitStrategy() {
    }

    /** Spins on the CPU ({@link Thread#onSpinWait()}); lowest latency, a core fully used while waiting. */
    public static WaitStrategy busySpin() {
        return BusySpin.INSTANCE;
    }

    /** Spins briefly, then yields the CPU between checks. */
    public static WaitStrategy yielding() {
        return Yielding.INSTANCE;
    }

    /** Spins, yields, then parks for growing intervals up to 1 ms; little CPU, wake-up within a millisecond. */
    public static WaitStrategy backoff() {
        return Backoff.INSTANCE;
    }

    /**
     * Spins briefly, then sleeps on a futex word in shared memory until a peer wakes it: no CPU while idle,
     * awake microseconds after a publish. Falls back to short parks where futexes are unavailable.
     */
    public static WaitStrategy blocking() {
        return Blocking.INSTANCE;
    }

    /**
     * Spins for up to {@code spin} of each wait, then sleeps on the futex as {@link #blocking()}: progress that comes
     * within {@code spin} is seen without a wake-up (a publisher's {@code FUTEX_WAKE} and the sleeper's return from
     * the kernel cost microseconds to tens of them), and a thread left idle costs one spin, then no CPU.
     *
     * @param spin how long a wait spins before it sleeps, 0 to 10 ms
     * @return the strategy
     * @throws IllegalArgumentException if {@code spin} is negative or longer than 10 ms
     */
    public static WaitStrategy spinThenBlock(Duration spin) {
        Objects.requireNonNull(spin, "spin");
        if (spin.isNegative() || spin.compareTo(Duration.ofMillis(10)) > 0) {
            throw new IllegalArgumentException("spin=" + spin + " must be from 0 to 10 ms");
        }
        return new SpinThenBlock(spin.toNanos());
    }

    /**
     * Waits once.
     *
     * @param round         how many checks in a row found no progress (0 the first time)
     * @param signal        the word a peer bumps when it makes progress
     * @param deadlineNanos the {@link System#nanoTime()} by which to return
     * @param ready         true once the awaited progress has happened; checked again before any sleep
     */
    abstract void idle(int round, Signal signal, long deadlineNanos, BooleanSupplier ready);

    static void parkUntil(long nanos, long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining > 0) {
            LockSupport.parkNanos(Math.min(nanos, remaining));
        }
    }

    private static final class BusySpin extends WaitStrategy {
        static final BusySpin INSTANCE = new BusySpin();

        @Override
        void idle(int round, Signal signal, long deadlineNanos, BooleanSupplier ready) {
            Thread.onSpinWait();
        }

        @Override
        public String toString() {
            return "busy-spin";
        }
    }

    private static final class Yielding extends WaitStrategy {
        static final Yielding INSTANCE = new Yielding();

        @Override
        void idle(int round, Signal signal, long deadlineNanos, BooleanSupplier ready) {
            if (round < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }

        @Override
        public String toString() {
            return "yielding";
        }
    }

    private static final class Backoff extends WaitStrategy {
        static final Backoff INSTANCE = new Backoff();
        private static final long MIN_PARK_NANOS = 1_000;
        private static final long MAX_PARK_NANOS = 1_000_000;

        @Override
        void idle(int round, Signal signal, long deadlineNanos, BooleanSupplier ready) {
            if (round < SPINS) {
                Thread.onSpinWait();
            } else if (round < SPINS + YIELDS) {
                Thread.yield();
            } else {
                int doublings = Math.min(round - SPINS - YIELDS, 10);
                parkUntil(Math.min(MIN_PARK_NANOS << doublings, MAX_PARK_NANOS), deadlineNanos);
            }
        }

        @Override
        public String toString() {
            return "backoff";
        }
    }

    private static final class SpinThenBlock extends WaitStrategy {
        /** When this thread's current wait stops spinning (set at its round 0). */
        private static final ThreadLocal<long[]> SPIN_END = ThreadLocal.withInitial(() -> new long[1]);
        private final long spinNanos;

        SpinThenBlock(long spinNanos) {
            this.spinNanos = spinNanos;
        }

        @Override
        void idle(int round, Signal signal, long deadlineNanos, BooleanSupplier ready) {
            long[] spinEnd = SPIN_END.get();
            if (round == 0) {
                spinEnd[0] = System.nanoTime() + spinNanos;
            } else if ((round & 63) == 0 && System.nanoTime() - spinEnd[0] >= 0) {
                signal.sleep(ready, deadlineNanos);
                return;
            }
            Thread.onSpinWait();
        }

        @Override
        public String toString() {
            return "spin-then-block(" + spinNanos + " ns, " + (Futex.AVAILABLE ? "futex" : "park") + ")";
        }
    }

    private static final class Blocking extends WaitStrategy {
        static final Blocking INSTANCE = new Blocking();

        @Override
        void idle(int round, Signal signal, long deadlineNanos, BooleanSupplier ready) {
            if (round < SPINS) {
                Thread.onSpinWait();
            } else {
                signal.sleep(ready, deadlineNanos);
            }
        }

        @Override
        public String toString() {
            return Futex.AVAILABLE ? "blocking(futex)" : "blocking(park)";
        }
    }
}
