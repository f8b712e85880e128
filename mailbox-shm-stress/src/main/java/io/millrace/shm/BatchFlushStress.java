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
 * Batched publication: a producer offers three records into a {@link Ring.Batch} (each copied in at once under a
 * claimed header) and flushes, which stores the later records' final headers and then the first one's with one
 * release store; the consumer polls once. It stops at the first header not committed, so it sees all of the batch or
 * none of it, never a later record without the earlier ones, never any record before the flush's publishing store.
 *
 * <p>The records are of 8, 56 and 120 payload bytes (one, two and three cache lines with their headers); 208 bytes a
 * sample, so that the 1 KiB ring wraps every few samples and batches straddle its end behind a padding record.
 */
@Outcome(id = "NONE", expect = ACCEPTABLE, desc = "The poll came before the flush's publishing store: no record yet.")
@Outcome(id = "ALL", expect = ACCEPTABLE, desc = "The poll came after the flush: all three records, in order, whole.")
@Outcome(id = {"FIRST", "FIRST_SECOND"}, expect = FORBIDDEN, desc = "Part of the batch: the first record was "
        + "visible before the later ones were committed (the flush must publish the first one last).")
@Outcome(id = ".*TORN.*", expect = FORBIDDEN, desc = "A record delivered without the payload copied in before the "
        + "flush: a torn record.")
@Outcome(expect = FORBIDDEN, desc = "Anything else: records out of order or of the wrong size, the rest of the batch "
        + "lost or delivered twice, a back-pressured empty ring.")
public class BatchFlushStress {
    static final int[] LENGTHS = {8, 56, 120};
    private static final String[] SEEN = {"NONE", "FIRST", "FIRST_SECOND", "ALL"};

    /** One sample: a lane, a stamp per record, what the consumer saw. */
    abstract static class Sample implements RecordHandler {
        private final StressRegions.Pool<StressRegions.Lane> pool;
        private final StressRegions.Lane lane;
        private final Ring.Batch batch;
        private final long stamp = Stamps.next();
        private final MemorySegment[] payloads = new MemorySegment[LENGTHS.length];
        private int seen;
        private String odd = "";
        private boolean backPressured;

        Sample(StressRegions.Pool<StressRegions.Lane> pool) {
            this.pool = pool;
            this.lane = pool.take();
            this.batch = lane.producer().batch(LENGTHS.length + 1);
            for (int i = 0; i < LENGTHS.length; i++) {
                payloads[i] = Stamps.payload(LENGTHS[i], stamp + i);
            }
        }

        final void offerAndFlush() {
            for (MemorySegment payload : payloads) {
                backPressured |= batch.offer(1, payload) != OfferStatus.ACCEPTED;
            }
            batch.flush();
        }

        final void poll() {
            lane.consumer().poll(this, 8);
        }

        @Override
        public final void onRecord(int type, MemorySegment buffer, long offset, int length) {
            int i = seen++;
            if (i >= LENGTHS.length || length != LENGTHS[i]) {
                odd = odd.isEmpty() ? "WRONG_RECORD" : odd;
            } else if (!Stamps.holds(buffer, offset, length, stamp + i)) {
                odd = odd.isEmpty() ? "TORN_" + (i + 1) : odd;
            }
        }

        /** Takes what the poll saw, then drains the rest and hands the lane back if the whole batch came once. */
        final void grade(L_Result r) {
            int polled = seen;
            String polledOdd = odd;
            poll();
            String outcome = backPressured ? "BACK_PRESSURED"
                    : !polledOdd.isEmpty() ? polledOdd
                    : polled > LENGTHS.length ? "WRONG_RECORD"
                    : SEEN[polled];
            if (!backPressured && (seen != LENGTHS.length || !odd.equals(polledOdd))) {
                outcome += "_THEN_" + (seen > LENGTHS.length ? "DUPLICATES" : !odd.isEmpty() ? odd : "LOST");
            }
            r.r1 = outcome;
            if ((outcome.equals("NONE") || outcome.equals("ALL")) && lane.isDrained()) {
                pool.give(lane);
            }
        }
    }

    private static final StressRegions.Pool<StressRegions.Lane> SPSC = StressRegions.lanes(RegionSpec.Kind.SPSC_RING);
    private static final StressRegions.Pool<StressRegions.Lane> MPSC = StressRegions.lanes(RegionSpec.Kind.MPSC_RING);

    @JCStressTest
    @JCStressMeta(BatchFlushStress.class)
    @Description("A batch of three records flushed on an SPSC ring against one poll.")
    @State
    public static class Spsc extends Sample {
        public Spsc() {
            super(SPSC);
        }

        @Actor
        public void producer() {
            offerAndFlush();
        }

        @Actor
        public void consumer() {
            poll();
        }

        @Arbiter
        public void arbiter(L_Result r) {
            grade(r);
        }
    }

    @JCStressTest
    @JCStressMeta(BatchFlushStress.class)
    @Description("A batch of three records flushed on an MPSC ring against one poll.")
    @State
    public static class Mpsc extends Sample {
        public Mpsc() {
            super(MPSC);
        }

        @Actor
        public void producer() {
            offerAndFlush();
        }

        @Actor
        public void consumer() {
            poll();
        }

        @Arbiter
        public void arbiter(L_Result r) {
            grade(r);
        }
    }
}
