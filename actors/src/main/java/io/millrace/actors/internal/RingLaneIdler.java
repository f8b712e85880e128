package io.millrace.actors.internal;

import io.millrace.actors.remote.Outbound;
import io.millrace.shm.RingConsumer;
import io.millrace.shm.WaitStrategy;

import java.util.function.BooleanSupplier;

/**
 * A {@link LaneIdler} that sleeps on the lane's ring in the node region ({@link RingConsumer#await}): the futex of
 * the ring's data signal, which other nodes' producers wake when they publish and this node's tellers wake through
 * {@link #wake} ({@link RingConsumer#wakeConsumer}: one load of shared memory when the lane is awake). So an idle lane
 * sleeps until any of its sources has work, whatever process made it, with no timed polling: it wakes by itself
 * only every {@value #MAX_SLEEP_NANOS} ns (and at the ring's liveness checks) to drop half-received messages of
 * dead senders. The ring's wait strategy (the system's) says how it spins, yields or parks before it sleeps.
 *
 * <p>A busy-spinning lane ({@link WaitStrategy#busySpin()}) spins in slices of {@value Outbound#SPIN_SLICE_NANOS} ns with a
 * {@link Thread#yield()} between them. Without it, three spinning threads on two CPUs (an ask: the asker, its node's
 * lane, the responder's lane) or a spinner sharing a CPU with the thread it waits for hand over only at scheduler
 * ticks (4 ms); with it, a thread that has work waits for a CPU at most about one slice.
 *
 * <p>No lost wake-up: the lane's {@code workReady} (its in-process queues and stop flag) is checked after the sleeper
 * has announced itself in the signal; a teller publishes (a CAS on the Disruptor cursor), then loads the signal's
 * waiters and wakes them (see {@code Signal}'s protocol).
 */
final class RingLaneIdler implements LaneIdler {

    static final long MAX_SLEEP_NANOS = 1_000_000_000L;

    private final RingConsumer consumer;
    private final boolean spinning;

    RingLaneIdler(RingConsumer consumer) {
        this.consumer = consumer;
        this.spinning = consumer.ring().waitStrategy() == WaitStrategy.busySpin();
    }

    @Override
    public void idle(BooleanSupplier workReady) {
        if (!spinning) {
            consumer.await(workReady, System.nanoTime() + MAX_SLEEP_NANOS);
            return;
        }
        long sliceEnd = System.nanoTime() + Outbound.SPIN_SLICE_NANOS;
        consumer.await(workReady, sliceEnd);
        if (System.nanoTime() - sliceEnd >= 0) {
            Thread.yield(); // the slice passed without work
        }
    }

    @Override
    public void wake() {
        consumer.wakeConsumer();
    }
}
