package io.millrace.shm;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressMeta;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.L_Result;

import java.lang.foreign.MemorySegment;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Release against the next lap's claim. A consumer only stores {@code head}. An MPSC producer that finds too little
 * zeroed space ahead re-reads {@code head} with acquire and zeroes the released space ahead of its claim (see
 * {@code MpscProducer}), which must not land on a record the consumer has still to read, nor on its own claim. An
 * SPSC producer zeroes the word after each claim (the terminator, see {@code SpscProducer}), which must not land on
 * a record the consumer has still to read either.
 *
 * <p>Each sample starts from a full ring: seven records of 128 bytes fill its 1 KiB (both kinds keep 8 bytes free
 * after the latest claim; the claim's terminator then falls on the first record's header). The consumer polls one
 * record (releasing it) while the producer claims 128 bytes for the next lap (it retries {@code tryClaim} while
 * back-pressured, a bounded number of times), writes its payload and commits. Then the arbiter drains the ring: the
 * other old records and the new one must all come whole.
 */
@Outcome(id = "CLAIMED_WHOLE", expect = ACCEPTABLE, desc = "The producer claimed the space the consumer released, and "
        + "its record came whole: the zeroing was over before the claim.")
@Outcome(id = "NO_SPACE", expect = ACCEPTABLE, desc = "The producer gave up before it saw the release: nothing raced "
        + "(rare: only when the consumer thread was descheduled all that time).")
@Outcome(id = "CLAIMED_ZEROED_HEADER", expect = FORBIDDEN, desc = "The new record never arrived: a zeroing "
        + "overwrote the header of the producer's claim in the next lap.")
@Outcome(id = "CLAIMED_ZEROED_PAYLOAD", expect = FORBIDDEN, desc = "The new record arrived with zeroed payload words: "
        + "a zeroing overwrote the producer's payload in the next lap.")
@Outcome(id = "COMMIT_REFUSED", expect = FORBIDDEN, desc = "The producer's commit found its claimed header gone: a "
        + "zeroing overwrote it after the claim.")
@Outcome(expect = FORBIDDEN, desc = "Anything else: an old record torn or lost, a record of the wrong size.")
public class ZeroingStress {
    static final int LENGTH = 120;
    /** tryClaim attempts before the producer gives up (each reads head: some tens of microseconds in all). */
    private static final int CLAIM_ATTEMPTS = 1 << 14;

    /** One sample: a full ring, the stamps of its old records and of the new one, what each side saw. */
    abstract static class Sample implements RecordHandler {
        private final StressRegions.Pool<StressRegions.Lane> pool;
        private final StressRegions.Lane lane;
        private final long oldStamp = Stamps.next();
        private final long newStamp = Stamps.next();
        private final int recordsPerLap;
        private boolean claimed;
        private boolean commitRefused;
        private int oldSeen;
        private int oldTorn;
        private String fresh = "";

        Sample(StressRegions.Pool<StressRegions.Lane> pool, int usable) {
            this.pool = pool;
            this.lane = pool.take();
            this.recordsPerLap = usable / (LENGTH + 8);
            MemorySegment payload = Stamps.payload(LENGTH, oldStamp);
            for (int i = 0; i < recordsPerLap; i++) {
                if (lane.producer().offer(1, payload) != OfferStatus.ACCEPTED) {
                    throw new IllegalStateException("an empty lane took only " + i + " records of " + LENGTH
                            + " bytes: " + lane.consumer().stats());
                }
            }
        }

        final void claimNextLap() {
            Ring ring = lane.producer();
            for (int i = 0; i < CLAIM_ATTEMPTS; i++) {
                long at = ring.tryClaim(2, LENGTH);
                if (at != Ring.BACK_PRESSURED) {
                    claimed = true;
                    Stamps.fill(ring.buffer(), at, LENGTH, newStamp);
                    try {
                        ring.commit(at);
                    } catch (IllegalStateException e) {
                        commitRefused = true; // commit found no claimed header of ours at the claim
                    }
                    return;
                }
                Thread.onSpinWait();
            }
        }

        final void pollOne() {
            lane.consumer().poll(this, 1);
        }

        @Override
        public final void onRecord(int type, MemorySegment buffer, long offset, int length) {
            if (type == 1 && oldSeen < recordsPerLap) {
                oldSeen++;
                oldTorn += length == LENGTH && Stamps.holds(buffer, offset, length, oldStamp) ? 0 : 1;
            } else if (type == 2 && fresh.isEmpty()) {
                fresh = length == LENGTH && Stamps.holds(buffer, offset, length, newStamp) ? "WHOLE" : "ZEROED_PAYLOAD";
            } else {
                fresh = "WRONG_RECORD";
            }
        }

        /** Drains the ring and judges; hands the lane back only when the sample left it drained and whole. */
        final void grade(L_Result r) {
            lane.consumer().poll(this, 2 * recordsPerLap);
            String outcome;
            if (oldSeen != recordsPerLap || oldTorn != 0) {
                outcome = "OLD_RECORDS_" + oldSeen + "_TORN_" + oldTorn;
            } else if (commitRefused) {
                outcome = "COMMIT_REFUSED";
            } else if (!claimed) {
                outcome = fresh.isEmpty() ? "NO_SPACE" : "UNCLAIMED_" + fresh;
            } else {
                outcome = "CLAIMED_" + (fresh.isEmpty() ? "ZEROED_HEADER" : fresh);
            }
            r.r1 = outcome;
            if ((outcome.equals("CLAIMED_WHOLE") || outcome.equals("NO_SPACE")) && lane.isDrained()) {
                pool.give(lane);
            }
        }
    }

    private static final StressRegions.Pool<StressRegions.Lane> SPSC = StressRegions.lanes(RegionSpec.Kind.SPSC_RING);
    private static final StressRegions.Pool<StressRegions.Lane> MPSC = StressRegions.lanes(RegionSpec.Kind.MPSC_RING);

    @JCStressTest
    @JCStressMeta(ZeroingStress.class)
    @Description("SPSC: the consumer releases a record while the producer claims the next lap's space, its terminator "
            + "on that record's header.")
    @State
    public static class Spsc extends Sample {
        public Spsc() {
            super(SPSC, StressRegions.RING_CAPACITY - SpscProducer.TERMINATOR);
        }

        @Actor
        public void producer() {
            claimNextLap();
        }

        @Actor
        public void consumer() {
            pollOne();
        }

        @Arbiter
        public void arbiter(L_Result r) {
            grade(r);
        }
    }

    @JCStressTest
    @JCStressMeta(ZeroingStress.class)
    @Description("MPSC: the consumer releases a record while a producer zeroes that space ahead of its claim and claims it.")
    @State
    public static class Mpsc extends Sample {
        public Mpsc() {
            super(MPSC, StressRegions.RING_CAPACITY - MpscProducer.TERMINATOR);
        }

        @Actor
        public void producer() {
            claimNextLap();
        }

        @Actor
        public void consumer() {
            pollOne();
        }

        @Arbiter
        public void arbiter(L_Result r) {
            grade(r);
        }
    }
}
