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
 * Publishing one record: the producer writes the payload with plain stores, then publishes the header with a release
 * store; the consumer's poll reads the header with acquire, and only then the payload. Whatever the poll delivers
 * must carry the payload written before the publish.
 *
 * <p>{@link Spsc} and {@link Mpsc} claim ({@code tryClaim}: a claimed header, the payload written in place) and
 * {@code commit}; {@link SpscOffer} is the SPSC {@code offer}, whose claim is the release store of {@code tail} and
 * which copies the payload before it stores the only header it writes.
 */
@Outcome(id = "NOTHING", expect = ACCEPTABLE, desc = "The poll came before the publish: nothing to deliver yet.")
@Outcome(id = "WHOLE", expect = ACCEPTABLE, desc = "The poll delivered the record with the payload written before "
        + "its publish.")
@Outcome(id = "TORN", expect = FORBIDDEN, desc = "The poll delivered the record, but not the payload written before "
        + "its publish: a torn record (the header's release or acquire is missing).")
@Outcome(expect = FORBIDDEN, desc = "Anything else: a wrong type or length, a back-pressured empty ring, a record "
        + "lost or delivered twice.")
public class ClaimCommitStress {
    static final int TYPE = 7;
    /** Two cache lines of payload: a header line and a line the producer writes after it. */
    static final int LENGTH = 96;

    /** One sample: a lane, the stamp the producer writes, what the consumer saw. */
    abstract static class Sample implements RecordHandler {
        private final StressRegions.Pool<StressRegions.Lane> pool;
        final StressRegions.Lane lane;
        final long stamp = Stamps.next();
        private String seen = "NOTHING";
        private String published = "";

        Sample(StressRegions.Pool<StressRegions.Lane> pool) {
            this.pool = pool;
            this.lane = pool.take();
        }

        /** Claims, writes the payload in place, commits. */
        final void claimWriteCommit() {
            Ring ring = lane.producer();
            long at = ring.tryClaim(TYPE, LENGTH);
            if (at == Ring.BACK_PRESSURED) {
                published = "BACK_PRESSURED";
                return;
            }
            Stamps.fill(ring.buffer(), at, LENGTH, stamp);
            ring.commit(at);
        }

        /** Offers a copy of a payload of the stamp. */
        final void offer(MemorySegment payload) {
            if (lane.producer().offer(TYPE, payload) != OfferStatus.ACCEPTED) {
                published = "BACK_PRESSURED";
            }
        }

        final void poll() {
            lane.consumer().poll(this, 8);
        }

        @Override
        public final void onRecord(int type, MemorySegment buffer, long offset, int length) {
            String what = type != TYPE || length != LENGTH ? "WRONG_RECORD"
                    : Stamps.holds(buffer, offset, length, stamp) ? "WHOLE" : "TORN";
            seen = seen.equals("NOTHING") ? what : "SEEN_TWICE";
        }

        /** Takes what the poll saw; drains the record if it had not, and hands the lane back if all is well. */
        final void grade(L_Result r) {
            String polled = seen;
            seen = "NOTHING";
            poll();
            String late = seen;
            if (!published.isEmpty()) {
                r.r1 = published;
            } else if (polled.equals("NOTHING") ? !late.equals("WHOLE") : !late.equals("NOTHING")) {
                r.r1 = polled + "_THEN_" + late; // lost, torn in the end, or delivered twice
            } else {
                r.r1 = polled;
            }
            if (lane.isDrained() && r.r1.equals(polled)) {
                pool.give(lane);
            }
        }
    }

    private static final StressRegions.Pool<StressRegions.Lane> SPSC = StressRegions.lanes(RegionSpec.Kind.SPSC_RING);
    private static final StressRegions.Pool<StressRegions.Lane> MPSC = StressRegions.lanes(RegionSpec.Kind.MPSC_RING);
    private static final StressRegions.Pool<StressRegions.Lane> SPSC_OFFER =
            StressRegions.lanes(RegionSpec.Kind.SPSC_RING);

    @JCStressTest
    @JCStressMeta(ClaimCommitStress.class)
    @Description("SPSC tryClaim, payload, commit against one poll.")
    @State
    public static class Spsc extends Sample {
        public Spsc() {
            super(SPSC);
        }

        @Actor
        public void producer() {
            claimWriteCommit();
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
    @JCStressMeta(ClaimCommitStress.class)
    @Description("MPSC tryClaim (compare-and-set of tail), payload, commit against one poll.")
    @State
    public static class Mpsc extends Sample {
        public Mpsc() {
            super(MPSC);
        }

        @Actor
        public void producer() {
            claimWriteCommit();
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
    @JCStressMeta(ClaimCommitStress.class)
    @Description("SPSC offer (no claimed header: the payload is copied, then the header stored) against one poll.")
    @State
    public static class SpscOffer extends Sample {
        private final MemorySegment payload = Stamps.payload(LENGTH, stamp);

        public SpscOffer() {
            super(SPSC_OFFER);
        }

        @Actor
        public void producer() {
            offer(payload);
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
