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
import org.openjdk.jmh.infra.Blackhole;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * In-process costs of one SPSC ring, on one thread (no cross-core traffic: the side-by-side harness measures
 * that): an offer (copy in) and the poll that takes it out; the same with zero-copy claim/commit; and
 * {@value #BATCH} offers drained by one poll, per message, each published on its own or all through one
 * {@link Ring.Batch}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Jvm.NATIVE_ACCESS_FLAG)
public class RingBenchmark {

    static final int BATCH = 64;
    private static final int TYPE = 1;

    @Param({"64", "1024", "65536"})
    int size;

    private ShmFixture fixture;
    private Ring ring;
    private MemorySegment src;
    private Arena arena;
    private final long[] seen = new long[1];
    private final RecordHandler handler =
            (type, buffer, offset, length) -> seen[0] += buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);

    private Ring.Batch batch;

    @Setup
    public void setUp() {
        fixture = new ShmFixture(RegionSpec.named("jmh").spscRing("ring", 4 << 20).build());
        ring = fixture.region.ring("ring");
        batch = ring.batch(BATCH);
        arena = Arena.ofConfined();
        src = arena.allocate(size, 8);
        src.fill((byte) 7);
    }

    @TearDown
    public void tearDown() {
        fixture.close();
        arena.close();
    }

    @Benchmark
    public int offerThenPoll() {
        if (ring.offer(TYPE, src) != OfferStatus.ACCEPTED) {
            throw new IllegalStateException("ring full");
        }
        return ring.poll(handler, 1);
    }

    @Benchmark
    public int claimCommitThenPoll() {
        long index = ring.tryClaim(TYPE, size);
        if (index < 0) {
            throw new IllegalStateException("ring full");
        }
        MemorySegment.copy(src, 0, ring.buffer(), index, size);
        ring.commit(index);
        return ring.poll(handler, 1);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int offerBatchThenPollBatch(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            bh.consume(ring.offer(TYPE, src));
        }
        return ring.poll(handler, BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int batchOfferThenPollBatch(Blackhole bh) {
        for (int i = 0; i < BATCH; i++) {
            bh.consume(batch.offer(TYPE, src)); // the 64th offer flushes the batch
        }
        return ring.poll(handler, BATCH);
    }
}
