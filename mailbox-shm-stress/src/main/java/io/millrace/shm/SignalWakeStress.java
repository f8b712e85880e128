package io.millrace.shm;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link Signal}'s lost wake-up. The publisher stores a ready word (release) and calls {@code wakeIfWaiting}, which
 * costs one load of {@code waiters} and bumps the futex word only when it sees a sleeper. The sleeper registers in
 * {@code waiters} (a full fence), re-checks the ready word twice (the second time after a pause, by when the
 * publisher's store has left its store buffer) and only then {@code FUTEX_WAIT}s, here with a deadline of
 * {@value #DEADLINE_MILLIS} ms. A sleep must end because a re-check saw the publish or because the publisher woke it;
 * it may end at its deadline when nothing was published before that deadline, and, rarely, when the waker's load of
 * {@code waiters} passed its publishing store by more than the pause (see the LOST_WAKE_UP outcome).
 *
 * <p>Each outcome is read from what the sleep left behind: whether the readiness check ever returned true, whether
 * the futex word moved (the publisher saw the sleeper), and, from {@link System#nanoTime()}, whether the sleep
 * returned after its deadline and whether the publish (store and wake call) was done before it. Both actors meet
 * before each sample, so that the publish and the sleep start within a few cache-line transfers of each other: with
 * the meeting, a {@code Signal} without its second re-check shows LOST_WAKE_UP in a short run; without it, it did
 * not.
 */
@JCStressTest
@Description("Signal.sleep with a readiness check and a short deadline against a release store and wakeIfWaiting.")
@Outcome(id = "SAW_PUBLISH", expect = ACCEPTABLE, desc = "A readiness check of the sleep saw the publish: it "
        + "returned without sleeping (or before its futex wait).")
@Outcome(id = "WOKEN", expect = ACCEPTABLE, desc = "The publisher saw the sleeper in waiters and bumped the futex "
        + "word: the sleep ended (on time, or late only because the sleeper ran late).")
@Outcome(id = "EARLY", expect = ACCEPTABLE, desc = "The sleep returned before its deadline without seeing the publish "
        + "or being woken (a spurious futex return); callers re-check and sleep again.")
@Outcome(id = "PUBLISHED_LATE", expect = ACCEPTABLE, desc = "The sleep timed out, but the publish came after its "
        + "deadline (the publisher thread ran late): there was nothing to see in time.")
@Outcome(id = "LOST_WAKE_UP", expect = ACCEPTABLE_INTERESTING, desc = "The publish was done before the deadline, yet "
        + "the sleeper neither saw it nor was woken: it slept to its deadline (a lost wake-up). The waker has no fence "
        + "(one costs a quarter of 64 B SPSC throughput), so its load of waiters may pass its store; the pause of "
        + "re-check 2 makes this rare, bounded by one sleep slice. StressMain fails the run above "
        + "StressMain.MAX_LOST_WAKE_UPS_PER_MILLION.")
@Outcome(expect = FORBIDDEN, desc = "Anything else: a sleeper still registered after its sleep.")
@State
public class SignalWakeStress implements BooleanSupplier {
    static final int DEADLINE_MILLIS = 5;
    private static final long DEADLINE_NANOS = DEADLINE_MILLIS * 1_000_000L;
    private static final StressRegions.Pool<StressRegions.SignalSlot> SLOTS = StressRegions.signals();

    /** How long an actor waits at {@link #meet()} for the other before it goes on alone. */
    private static final long MEET_NANOS = 1_000_000L;

    private final StressRegions.SignalSlot slot = SLOTS.take();
    private final AtomicInteger arrived = new AtomicInteger();
    private boolean sawReady;
    private boolean bumped;
    private long deadline;
    private long returnedAt;
    private long publishedAt;

    @Actor
    public void publisher() {
        meet();
        slot.putReadyRelease(true);
        StressAccess.wake(slot.signal());
        publishedAt = System.nanoTime();
    }

    @Actor
    public void sleeper() {
        meet();
        int sequence = slot.sequence();
        deadline = System.nanoTime() + DEADLINE_NANOS;
        StressAccess.sleep(slot.signal(), this, deadline);
        returnedAt = System.nanoTime();
        bumped = slot.sequence() != sequence;
    }

    /**
     * Waits (spinning, at most {@link #MEET_NANOS}) for the other actor to arrive: jcstress runs the actors of a
     * sample unsynchronised, and the window this test is after (the publisher's load of {@code waiters} passing its
     * own store while the sleeper registers) is a few tens of nanoseconds wide.
     */
    private void meet() {
        arrived.incrementAndGet();
        long giveUp = System.nanoTime() + MEET_NANOS;
        while (arrived.get() < 2 && System.nanoTime() - giveUp < 0) {
            Thread.onSpinWait();
        }
    }

    /** The sleep's readiness check: notes when it saw the publish. */
    @Override
    public boolean getAsBoolean() {
        if (slot.readyAcquire()) {
            sawReady = true;
            return true;
        }
        return false;
    }

    @Arbiter
    public void arbiter(L_Result r) {
        if (!slot.isQuiescent()) {
            r.r1 = "STILL_WAITING";
            return; // the slot is not handed back
        }
        if (sawReady) {
            r.r1 = "SAW_PUBLISH";
        } else if (bumped) {
            r.r1 = "WOKEN";
        } else if (returnedAt - deadline < 0) {
            r.r1 = "EARLY";
        } else {
            r.r1 = publishedAt - deadline >= 0 ? "PUBLISHED_LATE" : "LOST_WAKE_UP";
        }
        slot.putReadyRelease(false);
        SLOTS.give(slot);
    }
}
