package io.millrace.actors.internal;

import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.codec.MessageCodec;
import io.millrace.actors.remote.NodeRegion;
import io.millrace.shm.Ring;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's lanes, one per ring of the node region (each sleeps on its ring's futex: {@link RingLaneIdler}): starts
 * their threads, pins each new actor to one (by uid, so round-robin as uids increase),
 * and reports when the last thread has ended.
 */
final class Dispatcher {

    private final SystemRuntime runtime;
    private final Lane[] lanes;
    private final AtomicInteger running;

    Dispatcher(SystemRuntime runtime, ActorSystemConfig config, NodeRegion region) {
        this.runtime = runtime;
        this.lanes = new Lane[config.dispatcherThreads()];
        String threadName = "millrace-" + runtime.name() + "-lane-";
        for (int i = 0; i < lanes.length; i++) {
            Ring ring = region.lane(i).waitStrategy(config.waitStrategy());
            lanes[i] = new Lane(this, i, config.mailboxCapacity(), config.waitStrategy(),
                    new RingLaneIdler(ring.consumer()), threadName);
        }
        this.running = new AtomicInteger(lanes.length);
    }

    /** Gives each lane its ring of {@code region} as a source. */
    void attachInboxes(NodeRegion region, MessageCodec codec, LocalNode node, DeadLetterOffice deadLetters,
                       int maxMessageBytes) {
        for (int i = 0; i < lanes.length; i++) {
            lanes[i].inbox(new RemoteInbox(lanes[i], region.lane(i), maxMessageBytes, region, codec, node, deadLetters,
                    runtime.log()));
        }
    }

    void start() {
        for (Lane lane : lanes) {
            lane.start();
        }
    }

    Lane laneFor(long uid) {
        return lanes[(int) Long.remainderUnsigned(uid, lanes.length)];
    }

    boolean isLaneThread(Thread thread) {
        for (Lane lane : lanes) {
            if (lane.thread() == thread) {
                return true;
            }
        }
        return false;
    }

    void requestStop() {
        for (Lane lane : lanes) {
            lane.requestStop();
        }
    }

    /** Waits for every lane thread to end. @return false if one still ran at the deadline */
    boolean join(long deadlineNanos) throws InterruptedException {
        for (Lane lane : lanes) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining > 0) {
                lane.thread().join(Math.max(1, remaining / 1_000_000));
            }
            if (lane.thread().isAlive()) {
                return false;
            }
        }
        return true;
    }

    void laneError(Lane lane, Throwable error) {
        runtime.log().error("lane thread={} caught an error outside any actor", lane.thread().getName(), error);
    }

    void laneExited(Lane lane) {
        if (running.decrementAndGet() == 0) {
            runtime.lanesExited();
        }
    }
}
