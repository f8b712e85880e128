package io.millrace.actors.internal;

import io.millrace.shm.WaitStrategy;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A {@link LaneIdler} that follows the configured {@link WaitStrategy}: busy-spin and yielding never sleep (a teller
 * then never pays a wake), backoff parks for growing intervals up to 1 ms, blocking spins briefly and then parks
 * until woken.
 *
 * <p>Sleep protocol (blocking). The sleeper stores {@code sleeping = true} (volatile), issues a full fence, checks
 * {@code workReady} (which reads the ring's claimed cursor) and parks while it is false and {@code sleeping} holds.
 * A teller claims its slot with a CAS on the ring's cursor (a full fence), publishes, then loads {@code sleeping};
 * if true it CASes it to false and unparks the thread. Either the teller's load sees {@code true}, or the
 * sleeper's check sees the claimed cursor: a publish is never missed. A claimed but not yet published slot makes
 * the sleeper spin until it is published, which takes nanoseconds.
 */
final class ParkingLaneIdler implements LaneIdler {

    private static final int SPINS = 200;
    private static final int YIELDS = 20;
    private static final long MAX_BACKOFF_NANOS = 1_000_000L;
    private static final VarHandle SLEEPING;

    static {
        try {
            SLEEPING = MethodHandles.lookup().findVarHandle(ParkingLaneIdler.class, "sleeping", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private enum Mode { SPIN, YIELD, BACKOFF, BLOCK }

    private final Mode mode;
    /** The longest one {@link #idle} sleeps, 0 for no bound (then only {@code workReady} or a wake end it). */
    private final long maxSleepNanos;
    private volatile Thread thread;
    @SuppressWarnings("unused") // through SLEEPING
    private volatile boolean sleeping;

    ParkingLaneIdler(WaitStrategy strategy) {
        this(strategy, 0);
    }

    /** @param maxSleepNanos the longest one {@link #idle} lasts, for a source {@code workReady} cannot see; 0: none */
    ParkingLaneIdler(WaitStrategy strategy, long maxSleepNanos) {
        this.mode = modeOf(strategy);
        this.maxSleepNanos = maxSleepNanos;
    }

    private boolean ready(BooleanSupplier workReady, long deadline) {
        return workReady.getAsBoolean() || maxSleepNanos > 0 && System.nanoTime() - deadline >= 0;
    }

    private static Mode modeOf(WaitStrategy strategy) {
        if (strategy == WaitStrategy.busySpin()) {
            return Mode.SPIN;
        }
        if (strategy == WaitStrategy.yielding()) {
            return Mode.YIELD;
        }
        return strategy == WaitStrategy.backoff() ? Mode.BACKOFF : Mode.BLOCK;
    }

    @Override
    public void idle(BooleanSupplier workReady) {
        if (thread == null) {
            thread = Thread.currentThread();
        }
        long deadline = System.nanoTime() + maxSleepNanos;
        for (int i = 0; i < SPINS; i++) {
            if (workReady.getAsBoolean()) {
                return;
            }
            Thread.onSpinWait();
        }
        switch (mode) {
            case SPIN -> {
                while (!ready(workReady, deadline)) {
                    Thread.onSpinWait();
                }
            }
            case YIELD -> {
                while (!ready(workReady, deadline)) {
                    Thread.yield();
                }
            }
            case BACKOFF -> {
                long park = 1_000L;
                while (!ready(workReady, deadline)) {
                    LockSupport.parkNanos(park);
                    park = Math.min(park * 2, MAX_BACKOFF_NANOS);
                }
            }
            case BLOCK -> sleep(workReady, deadline);
        }
    }

    private void sleep(BooleanSupplier workReady, long deadline) {
        for (int i = 0; i < YIELDS; i++) {
            if (workReady.getAsBoolean()) {
                return;
            }
            Thread.yield();
        }
        SLEEPING.setVolatile(this, true);
        VarHandle.fullFence();
        while (!ready(workReady, deadline) && (boolean) SLEEPING.getVolatile(this)) {
            if (maxSleepNanos > 0) {
                LockSupport.parkNanos(this, deadline - System.nanoTime());
            } else {
                LockSupport.park(this);
            }
        }
        SLEEPING.setVolatile(this, false);
    }

    @Override
    public void wake() {
        if ((boolean) SLEEPING.getVolatile(this) && SLEEPING.compareAndSet(this, true, false)) {
            LockSupport.unpark(thread);
        }
    }
}
