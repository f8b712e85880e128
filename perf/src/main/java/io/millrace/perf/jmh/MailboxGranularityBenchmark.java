package io.millrace.perf.jmh;

import io.millrace.shm.Jvm;
import io.millrace.shm.OfferStatus;
import io.millrace.shm.RecordHandler;
import io.millrace.shm.RegionSpec;
import io.millrace.shm.Ring;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * Issue 12's mailbox granularity, on one thread (a probe of the consumer's cost, not of the transport): a lane's
 * share of {@value #BATCH} 64 B tells spread round-robin over {@code actors} actors, taken out of one MPSC ring
 * of the lane (today: the record names its actor, the lane dispatches by uid) or out of one MPSC ring per actor
 * (the alternative: the lane sweeps every actor's ring, polling each). {@code idleSweep} is what the per-actor
 * form costs a lane each time it looks for work and finds none (the per-lane form: one poll of an empty ring).
 * Per message ({@link OperationsPerInvocation}); idle sweeps per sweep.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Jvm.NATIVE_ACCESS_FLAG)
public class MailboxGranularityBenchmark {

    static final int BATCH = 64;
    private static final int TYPE = 1;
    private static final int RING_BYTES = 64 << 10;

    @Param({"1", "16", "256"})
    int actors;

    private ShmFixture laneFixture;
    private ShmFixture actorFixture;
    private Ring lane;
    private Ring[] mailboxes;
    private Arena arena;
    private MemorySegment[] messages;
    private long[] delivered;
    private final RecordHandler byUid =
            (type, buffer, offset, length) -> delivered[(int) buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset)]++;
    private final RecordHandler direct = (type, buffer, offset, length) -> delivered[0]++;

    @Setup
    public void setUp() {
        laneFixture = new ShmFixture(RegionSpec.named("lane").mpscRing("lane-0", RING_BYTES).build());
        lane = laneFixture.region.ring("lane-0");
        RegionSpec.Builder spec = RegionSpec.named("actors");
        for (int i = 0; i < actors; i++) {
            spec.mpscRing("actor-" + i, RING_BYTES);
        }
        actorFixture = new ShmFixture(spec.build());
        mailboxes = new Ring[actors];
        for (int i = 0; i < actors; i++) {
            mailboxes[i] = actorFixture.region.ring("actor-" + i);
        }
        arena = Arena.ofConfined();
        messages = new MemorySegment[actors];
        for (int i = 0; i < actors; i++) {
            messages[i] = arena.allocate(64, 8);
            messages[i].set(ValueLayout.JAVA_LONG, 0, i);
        }
        delivered = new long[actors];
    }

    @TearDown
    public void tearDown() {
        laneFixture.close();
        actorFixture.close();
        arena.close();
    }

    private static void offer(Ring ring, MemorySegment message) {
        if (ring.offer(TYPE, message) != OfferStatus.ACCEPTED) {
            throw new IllegalStateException("ring full");
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int perLaneRing() {
        for (int i = 0; i < BATCH; i++) {
            offer(lane, messages[i % actors]);
        }
        return lane.poll(byUid, BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int perActorRing() {
        for (int i = 0; i < BATCH; i++) {
            offer(mailboxes[i % actors], messages[i % actors]);
        }
        int taken = 0;
        for (Ring mailbox : mailboxes) {
            taken += mailbox.poll(direct, BATCH);
        }
        return taken;
    }

    @Benchmark
    public int idleSweepPerLane() {
        return lane.poll(byUid, BATCH);
    }

    @Benchmark
    public int idleSweepPerActor() {
        int taken = 0;
        for (Ring mailbox : mailboxes) {
            taken += mailbox.poll(direct, BATCH);
        }
        return taken;
    }
}
