package io.millrace.generators;

import io.millrace.generators.WorkerProtocol.Result;
import io.millrace.generators.WorkerProtocol.ToPool;
import io.millrace.shm.RegionSpec;
import io.millrace.shm.SharedAtomicInt;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Where {@link WorkerPool#call} waits for its result: a slot per waiting caller in a block of shared memory that the
 * pool and its workers map (region {@code <pool>-replies}), so that a result goes from the worker straight to the
 * thread waiting for it, which spins on the slot for {@value #SPIN_NANOS} ns and then sleeps on its futex; not through
 * the pool's lane thread and an unpark (two wake-ups on the way back).
 *
 * <h2>Protocol</h2>
 * A slot: {@code state} (the futex word), {@code waiters}, the job id, the result's kind and length, and up to
 * {@value #CAPACITY} bytes of it ({@link Payloads}). Every change of {@code state} is a CAS from {@code PENDING}, so
 * each slot ends exactly one way, and who frees it follows from how:
 * <pre>
 *   caller   claim: id, state = PENDING; Run(slot) goes out
 *   worker   writes kind, length, bytes; CAS PENDING → DONE; if waiters: wake          (the caller frees the slot)
 *            too large, or the CAS failed (ABANDONED): Result through the lane as for any job
 *   pool     a lane Result of a slot job: CAS PENDING → LANE, wake    (the caller frees it), else ABANDONED: frees it
 *            the job failed (its worker died, the pool closed): CAS PENDING → FAILED, wake, else ABANDONED: frees it
 *   caller   timed out or interrupted: CAS PENDING → ABANDONED (the pool frees it when the job ends); a failed CAS:
 *            the state it lost to is its answer
 *   caller   sleeps: waiters = 1 (volatile), re-check state, futex wait; a worker's CAS then its load of waiters
 *            cannot both miss (volatile store-load order on both sides)
 * </pre>
 * A caller that read {@code DONE} takes the bytes and hands the job back to the pool's state machine
 * ({@link WorkerPool}: the worker is released, the next job dispatched) on its own thread. A slot is freed only
 * after its worker wrote its last byte (a lane Result follows the worker's writes; a failure comes from a dead
 * worker or from a job never sent), and the worker checks the id before it writes. With every slot taken, or a
 * worker that could not attach (over {@value #PARTICIPANTS} processes), a call goes through the lane; so does a
 * virtual thread's: its futex wait would pin its carrier, and the worker is handed back to the pool by the caller
 * that read DONE, so callers asleep on both carriers could keep that one from running.
 */
final class ReplySlots implements AutoCloseable {
    static final int SLOTS = 64;
    static final int SLOT_BYTES = 1024;
    static final int PARTICIPANTS = 64;
    private static final long STATE = 0;
    private static final long WAITERS = 4;
    private static final long ID = 8;
    private static final long KIND = 16;
    private static final long LENGTH = 20;
    private static final long DATA = 24;
    static final int CAPACITY = SLOT_BYTES - (int) DATA;
    static final int PENDING = 1;
    static final int DONE = 2;
    static final int LANE = 3;
    static final int ABANDONED = 4;
    static final int FAILED = 5;
    private static final int VALUE = 0;
    private static final int ERROR = 1;
    private static final long SPIN_NANOS = 50_000;
    private static final long SLEEP_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final SharedRegion region;
    private final MemorySegment block;
    private final SharedAtomicInt[] states = new SharedAtomicInt[SLOTS];
    private final SharedAtomicInt[] waiters = new SharedAtomicInt[SLOTS];
    /** The pool's side: free slots, callers inside {@link #await}, and whether the region is to be closed. */
    private final int[] free;
    private int freeCount;
    private int callers;
    private boolean closed;
    /** The region is closed here: a job that ends later (its worker's exit after the pool's close) leaves it be. */
    private boolean unmapped;
    /** False: no slot is handed out (see {@link #enabled(boolean)}). */
    private boolean enabled = true;

    private ReplySlots(SharedRegion region, boolean owner) {
        this.region = region;
        this.block = region.block("slots");
        for (int i = 0; i < SLOTS; i++) {
            states[i] = SharedAtomicInt.at("state-" + i, block, (long) i * SLOT_BYTES + STATE);
            waiters[i] = SharedAtomicInt.at("waiters-" + i, block, (long) i * SLOT_BYTES + WAITERS);
        }
        this.free = owner ? new int[SLOTS] : null;
        if (owner) {
            for (int i = 0; i < SLOTS; i++) {
                free[freeCount++] = SLOTS - 1 - i;
            }
        }
    }

    /** The pool's slots: region {@code name}, created in {@code base}. */
    static ReplySlots create(Path base, String name) {
        return new ReplySlots(ShmDirectory.at(base).create(RegionSpec.named(name).participants(PARTICIPANTS)
                .block("slots", SLOTS * SLOT_BYTES).build()), true);
    }

    /** A worker's view of its pool's slots, or null if it cannot attach (the caller answers through the lane). */
    static ReplySlots attach(Path base, String name) {
        try {
            return new ReplySlots(ShmDirectory.at(base).attach(name, Duration.ofSeconds(10)), false);
        } catch (RuntimeException e) {
            System.err.println("[worker] replies go through the lane: region name=" + name + " " + e.getMessage());
            return null;
        }
    }

    String name() {
        return region.name();
    }

    /**
     * {@code false}: {@link #claim} hands out no slot, so every call goes through the lane as before slots (the A of
     * {@code CallAbMain}'s A/B on one warm pool; tests of the lane path); {@code true} (as made): slots again.
     */
    synchronized void enabled(boolean value) {
        enabled = value;
    }

    /** @return how many slots are free now (for tests) */
    synchronized int freeSlots() {
        return freeCount;
    }

    // ---- the caller's side (in the pool's JVM) ----

    /** @return a slot for job {@code id}, now PENDING, or -1 when none is free or the pool closed */
    synchronized int claim(long id) {
        if (closed || freeCount == 0 || !enabled) {
            return -1;
        }
        int slot = free[--freeCount];
        block.set(ValueLayout.JAVA_LONG, (long) slot * SLOT_BYTES + ID, id);
        waiters[slot].set(0);
        states[slot].set(PENDING); // volatile: the id is there before the Run that names the slot goes out
        callers++;
        return slot;
    }

    /**
     * Waits for the slot's job to end: spins, then sleeps on the slot. The state it ended in: DONE (read the
     * {@link #result}), LANE or FAILED (the job's reply is complete), or ABANDONED: the deadline passed or the thread
     * was interrupted ({@code interrupted} then set), and the pool frees the slot when the job ends.
     */
    int await(int slot, long deadlineNanos, boolean[] interrupted) {
        SharedAtomicInt state = states[slot];
        long spinEnd = System.nanoTime() + SPIN_NANOS;
        int seen;
        for (int i = 1; (seen = state.get()) == PENDING; i++) {
            if ((i & 63) != 0) {
                Thread.onSpinWait();
                continue;
            }
            long now = System.nanoTime();
            boolean late = now - deadlineNanos >= 0;
            if (late || Thread.interrupted()) {
                interrupted[0] = !late;
                return abandon(slot);
            }
            if (now - spinEnd >= 0) {
                waiters[slot].set(1);
                state.awaitChange(PENDING, Math.max(1, Math.min(SLEEP_SLICE_NANOS, deadlineNanos - now)));
                i = -1; // the clock again at the next check
            }
        }
        return seen;
    }

    private int abandon(int slot) {
        int witness = states[slot].compareAndExchange(PENDING, ABANDONED);
        if (witness != PENDING) {
            return witness;
        }
        leave();
        return ABANDONED;
    }

    /** The result the worker left in a DONE slot. */
    Result result(int slot, long id) {
        long at = (long) slot * SLOT_BYTES;
        int length = block.get(ValueLayout.JAVA_INT, at + LENGTH);
        byte[] bytes = block.asSlice(at + DATA, length).toArray(ValueLayout.JAVA_BYTE);
        boolean error = block.get(ValueLayout.JAVA_INT, at + KIND) == ERROR;
        return new Result(id, error ? null : bytes, error ? bytes : null, null);
    }

    /** The caller is done with the slot (it read it, or the job's reply holds the outcome). */
    void release(int slot) {
        synchronized (this) {
            free[freeCount++] = slot;
        }
        leave();
    }

    /** The job's outcome is in its reply (a lane Result, a failure): wakes the caller, or frees an abandoned slot. */
    synchronized void ended(int slot, boolean failed) {
        if (unmapped) {
            return;
        }
        int witness = states[slot].compareAndExchange(PENDING, failed ? FAILED : LANE);
        if (witness == PENDING) {
            if (waiters[slot].get() != 0) {
                states[slot].wakeAll();
            }
        } else if (witness == ABANDONED) {
            free[freeCount++] = slot;
        }
    }

    /**
     * Closes the pool's side: no more slots are handed out, the file is removed at once, and the mapping is closed
     * when the last waiting caller leaves (a caller of a pool being closed wakes when its worker exits). A worker's
     * side just detaches from the region.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (free != null) {
            region.unlink();
        }
        if (free == null || callers == 0) {
            unmap();
        }
    }

    private synchronized void leave() {
        if (--callers == 0 && closed) {
            unmap();
        }
    }

    private void unmap() {
        unmapped = true;
        region.close();
    }

    // ---- the worker's side ----

    /**
     * Leaves a task's value or error in the slot of job {@code id} and wakes its caller.
     *
     * @return false if it must go through the lane: too large, the slot is not the job's, or its caller gave up
     */
    boolean answer(int slot, long id, byte[] value, byte[] error) {
        byte[] bytes = error != null ? error : value;
        long at = (long) slot * SLOT_BYTES;
        if (slot < 0 || slot >= SLOTS || bytes.length > CAPACITY
                || block.get(ValueLayout.JAVA_LONG, at + ID) != id) {
            return false;
        }
        block.set(ValueLayout.JAVA_INT, at + KIND, error != null ? ERROR : VALUE);
        block.set(ValueLayout.JAVA_INT, at + LENGTH, bytes.length);
        MemorySegment.copy(bytes, 0, block, ValueLayout.JAVA_BYTE, at + DATA, bytes.length);
        if (!states[slot].compareAndSet(PENDING, DONE)) {
            return false;
        }
        if (waiters[slot].get() != 0) {
            states[slot].wakeAll();
        }
        return true;
    }

    /**
     * Waits for the result of a call's job in its slot; {@code answered} hands a job whose result came to the slot
     * back to the pool. A result through the lane or a failure comes from the job's reply.
     */
    ToPool awaitResult(Job job, long deadline, Duration timeout, Consumer<Job> answered)
            throws TimeoutException, InterruptedException {
        boolean[] interrupted = new boolean[1];
        int state = await(job.slot, deadline, interrupted);
        if (state == ABANDONED && interrupted[0]) {
            throw new InterruptedException("call of job id=" + job.id + " interrupted");
        } else if (state == ABANDONED) {
            throw new TimeoutException("job id=" + job.id + " did not answer within timeout=" + timeout);
        }
        if (interrupted[0]) {
            Thread.currentThread().interrupt(); // the answer came first: it is returned, the interrupt kept
        }
        if (state != DONE) {
            release(job.slot);
            return replyOf(job, System.nanoTime() + TimeUnit.SECONDS.toNanos(60)); // complete, or failing by a close
        }
        Result result = result(job.slot, job.id);
        release(job.slot);
        answered.accept(job);
        job.reply.complete(result);
        return result;
    }

    /** Waits for a job's reply (LANE or FAILED: it is complete, or about to be when the pool closed). */
    static ToPool replyOf(Job job, long deadlineNanos) throws TimeoutException, InterruptedException {
        try {
            return job.reply.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw PoolSupport.rethrow(e.getCause());
        }
    }
}
