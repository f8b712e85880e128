package io.millrace.actors.internal;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.EventTranslatorTwoArg;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import io.millrace.shm.CorruptRecordException;
import io.millrace.shm.WaitStrategy;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * One dispatcher thread and the queues it drains; each actor is pinned to one lane, so only this thread runs it.
 *
 * <p>Sources, polled by the duty cycle {@link #doWork()} in this order:
 * <ol>
 *   <li>the system queue: lifecycle messages (unbounded, rare), so that stops are never lost to a full lane;</li>
 *   <li>the ring: a Disruptor multi-producer {@link RingBuffer} polled through an {@link EventPoller}
 *       (pull-style, so that this loop can poll other sources too: the node's shared-memory ring later);
 *       every thread but this one tells through it;</li>
 *   <li>the local queue: tells made by this thread itself (an actor telling an actor of its own lane) while
 *       the ring is full, as they cannot wait for room that only this thread makes; plain, as only this thread
 *       touches it. Drained once the ring has been polled past every tell this thread put into it before
 *       ({@link #localBarrier});</li>
 *   <li>the lane's ring in the node region ({@link RemoteInbox}): messages of other nodes, decoded here.</li>
 * </ol>
 * Per-sender order holds: each sender thread uses one FIFO queue per lane, and this thread's overflow follows its
 * ring tells. Its own tells go through the ring while there is room, so that a message it tells is not overtaken
 * by one that another lane tells in reaction to what it did next (a child's last words before its parent's
 * restart, say): causal order per recipient, as one mailbox queue gives it.
 *
 * <p>A teller never blocks without bound: {@link #offer} claims a slot with {@code tryPublishEvent} and, when the
 * ring is full, retries with the configured wait strategy until its deadline. It then wakes the lane through the
 * {@link LaneIdler}, which costs a volatile load unless the lane sleeps.
 */
final class Lane implements Runnable {

    /** The ring's slot: the recipient and the message, cleared once handled. */
    static final class Envelope {
        ActorCell<?> cell;
        Object message;
    }

    private record SystemEnvelope(ActorCell<?> cell, SystemMessage message) {
    }

    private static final EventTranslatorTwoArg<Envelope, ActorCell<?>, Object> TRANSLATOR =
            (envelope, sequence, cell, message) -> {
                envelope.cell = cell;
                envelope.message = message;
            };
    private static final int RING_BATCH = 256;
    private static final long BROKEN_RING_PARK_NANOS = 1_000_000L;

    private final Dispatcher dispatcher;
    private final int capacity;
    private final WaitStrategy waitStrategy;
    private final RingBuffer<Envelope> ring;
    private final EventPoller<Envelope> poller;
    private final Sequence polled;
    private final ConcurrentLinkedQueue<SystemEnvelope> systemQueue = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Object> local = new ArrayDeque<>();
    /** The ring's cursor when the local queue got its first element: it is drained once that is polled. */
    private long localBarrier;
    private final LaneIdler idler;
    private final Thread thread;
    private final EventPoller.Handler<Envelope> handler = this::onEvent;
    /** The lane's ring in the node region (messages of other nodes); null for a lane without one. */
    private RemoteInbox inbox;
    private volatile boolean stopRequested;
    private int batchCount;
    /** The cell whose message this thread handles now (for the context's thread check). */
    ActorCell<?> current;

    Lane(Dispatcher dispatcher, int index, int capacity, WaitStrategy waitStrategy, LaneIdler idler,
         String threadName) {
        this.dispatcher = dispatcher;
        this.capacity = capacity;
        this.waitStrategy = waitStrategy;
        this.idler = idler;
        this.ring = RingBuffer.createMultiProducer(Envelope::new, capacity, new BusySpinWaitStrategy());
        this.poller = ring.newPoller();
        this.polled = poller.getSequence();
        ring.addGatingSequences(polled);
        this.thread = new Thread(this, threadName + index);
    }

    void start() {
        thread.start();
    }

    /** Adds the lane's ring of the node region as a source; before {@link #start}. */
    void inbox(RemoteInbox value) {
        this.inbox = value;
    }

    Thread thread() {
        return thread;
    }

    int capacity() {
        return capacity;
    }

    /**
     * Queues {@code message} for {@code cell}.
     *
     * @param waitNanos how long to wait for room in a full ring; a tell from this lane's own thread never waits
     * @return false if there was no room in time
     */
    boolean offer(ActorCell<?> cell, Object message, long waitNanos) {
        if (Thread.currentThread() == thread) {
            if (local.isEmpty() && ring.tryPublishEvent(TRANSLATOR, cell, message)) {
                return true; // awake: no wake-up needed
            }
            if (local.size() >= 2 * capacity) {
                return false;
            }
            if (local.isEmpty()) {
                localBarrier = ring.getCursor();
            }
            local.addLast(cell);
            local.addLast(message);
            return true;
        }
        if (ring.tryPublishEvent(TRANSLATOR, cell, message)) {
            idler.wake();
            return true;
        }
        if (waitNanos <= 0) {
            return false;
        }
        long deadline = System.nanoTime() + waitNanos;
        for (int round = 0; System.nanoTime() - deadline < 0; round++) {
            Waiting.pause(waitStrategy, round, deadline);
            if (ring.tryPublishEvent(TRANSLATOR, cell, message)) {
                idler.wake();
                return true;
            }
        }
        return false;
    }

    /** Queues a lifecycle message; never refused. */
    void offerSystem(ActorCell<?> cell, SystemMessage message) {
        systemQueue.offer(new SystemEnvelope(cell, message));
        idler.wake();
    }

    /** Asks the thread to finish: it drains what is queued (as dead letters) and ends. */
    void requestStop() {
        stopRequested = true;
        idler.wake();
    }

    /** One duty cycle: polls each source once. @return the messages handled */
    int doWork() {
        int work = 0;
        SystemEnvelope s;
        while ((s = systemQueue.poll()) != null) {
            current = s.cell();
            try {
                s.cell().handleSystem(s.message());
            } finally {
                current = null;
            }
            work++;
        }
        batchCount = 0;
        try {
            poller.poll(handler);
        } catch (Exception e) {
            dispatcher.laneError(this, e);
        }
        work += batchCount;
        for (int n = polled.get() >= localBarrier ? local.size() / 2 : 0; n > 0; n--) {
            ActorCell<?> cell = (ActorCell<?>) local.pollFirst();
            deliver(cell, local.pollFirst());
            work++;
        }
        if (inbox != null) {
            try {
                work += inbox.poll();
            } catch (RuntimeException e) {
                inbox.corrupt("the ring could not be read: " + e);
            }
        }
        return work;
    }

    private boolean onEvent(Envelope envelope, long sequence, boolean endOfBatch) {
        ActorCell<?> cell = envelope.cell;
        Object message = envelope.message;
        envelope.cell = null;
        envelope.message = null;
        deliver(cell, message);
        return ++batchCount < RING_BATCH;
    }

    void deliver(ActorCell<?> cell, Object message) {
        current = cell;
        try {
            cell.deliver(message);
        } finally {
            current = null;
        }
    }

    private boolean hasWork() {
        return stopRequested || !systemQueue.isEmpty() || ring.getCursor() > polled.get() || !local.isEmpty();
    }

    @Override
    public void run() {
        try {
            while (true) {
                if (doWork() == 0) {
                    if (stopRequested) {
                        break;
                    }
                    if (inbox != null) {
                        inbox.dropDeadSenders();
                    }
                    if (inbox != null && inbox.isBroken()) {
                        // its futex would say "data" for ever: sleep on a timer (local tells wait up to 1 ms)
                        LockSupport.parkNanos(BROKEN_RING_PARK_NANOS);
                    } else {
                        try {
                            idler.idle(this::hasWork);
                        } catch (CorruptRecordException e) {
                            inbox.broken(e); // the ring's wait looked at its head and found it corrupt
                        }
                    }
                }
            }
            drainAsDeadLetters();
        } catch (Throwable t) {
            dispatcher.laneError(this, t);
        } finally {
            dispatcher.laneExited(this);
        }
    }

    private void drainAsDeadLetters() {
        while (ring.getCursor() > polled.get() || !local.isEmpty() || !systemQueue.isEmpty()) {
            systemQueue.clear();
            doWork();
        }
    }
}
