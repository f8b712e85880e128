package io.millrace.shm;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

import java.lang.foreign.MemorySegment;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Two MPSC producers of two attachments (two claim windows, as two processes have) claim at once where the space
 * ahead of {@code tail} is not zeroed yet: each claim needs a cleaning first (the smallest ring's chunk is 64 bytes,
 * less than a record), so one zeroes while the other claims below what it published, or waits for it (see
 * {@code MpscProducer}). A zero store that landed on the other's claim would show as a record torn or lost. Each
 * sample starts from a drained lane whose space holds the last samples' stamped records.
 */
@JCStressTest
@Description("MPSC: two producers in two claim windows zero ahead of their claims at once.")
@Outcome(id = "BOTH_WHOLE", expect = ACCEPTABLE, desc = "Both records came whole: no zeroing landed on a claim.")
@Outcome(id = "NO_SPACE", expect = ACCEPTABLE, desc = "A producer gave up, back-pressured all the while by the other's "
        + "cleaning (rare: only when that thread was descheduled while it zeroed).")
@Outcome(id = "COMMIT_REFUSED", expect = FORBIDDEN, desc = "A commit found its claimed header gone, or a stale header "
        + "after its claim: the zeroing came after the claim.")
@Outcome(expect = FORBIDDEN, desc = "A record torn, zeroed or lost: a zeroing overwrote a claim.")
@State
public class CleaningStress implements RecordHandler {
    static final int LENGTH = 120;
    private static final int CLAIM_ATTEMPTS = 1 << 14;
    private static final StressRegions.Pool<StressRegions.Lane> MPSC = StressRegions.lanes(RegionSpec.Kind.MPSC_RING);

    private final StressRegions.Lane lane = MPSC.take();
    private final long firstStamp = Stamps.next();
    private final long secondStamp = Stamps.next();
    private volatile boolean commitRefused;
    private boolean firstClaimed;
    private boolean secondClaimed;
    private int whole;
    private int broken;

    /** Claims {@link #LENGTH} bytes on {@code ring} (retrying while back-pressured), stamps them and commits. */
    private boolean claimAndCommit(Ring ring, int type, long stamp) {
        for (int i = 0; i < CLAIM_ATTEMPTS; i++) {
            long at = ring.tryClaim(type, LENGTH);
            if (at != Ring.BACK_PRESSURED) {
                Stamps.fill(ring.buffer(), at, LENGTH, stamp);
                try {
                    ring.commit(at);
                } catch (IllegalStateException | ShmException e) {
                    commitRefused = true; // no claimed header of ours there, or a stale one after the claim
                }
                return true;
            }
            Thread.onSpinWait();
        }
        return false;
    }

    @Actor
    public void first() {
        firstClaimed = claimAndCommit(lane.producer(), 1, firstStamp);
    }

    @Actor
    public void second() {
        secondClaimed = claimAndCommit(lane.consumer(), 2, secondStamp);
    }

    @Override
    public void onRecord(int type, MemorySegment buffer, long offset, int length) {
        long stamp = type == 1 ? firstStamp : secondStamp;
        if ((type == 1 || type == 2) && length == LENGTH && Stamps.holds(buffer, offset, length, stamp)) {
            whole++;
        } else {
            broken++;
        }
    }

    @Arbiter
    public void arbiter(L_Result r) {
        lane.consumer().poll(this, 10);
        int claimed = (firstClaimed ? 1 : 0) + (secondClaimed ? 1 : 0);
        String outcome;
        if (commitRefused) {
            outcome = "COMMIT_REFUSED";
        } else if (broken != 0 || whole != claimed) {
            outcome = "CLAIMED_" + claimed + "_WHOLE_" + whole + "_BROKEN_" + broken;
        } else {
            outcome = claimed == 2 ? "BOTH_WHOLE" : "NO_SPACE";
        }
        r.r1 = outcome;
        if ((outcome.equals("BOTH_WHOLE") || outcome.equals("NO_SPACE")) && lane.isDrained()) {
            MPSC.give(lane);
        }
    }
}
