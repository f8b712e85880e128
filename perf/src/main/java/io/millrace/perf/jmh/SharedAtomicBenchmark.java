package io.millrace.perf.jmh;

import io.millrace.shm.Jvm;
import io.millrace.shm.RegionSpec;
import io.millrace.shm.SharedAtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link SharedAtomicLong#incrementAndGet()} on a word in a mapped region, alone and with two threads
 * contending for it, beside {@link AtomicLong#incrementAndGet()} on the heap as the baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Jvm.NATIVE_ACCESS_FLAG)
public class SharedAtomicBenchmark {

    private ShmFixture fixture;
    private SharedAtomicLong shared;
    private final AtomicLong heap = new AtomicLong();

    @Setup
    public void setUp() {
        fixture = new ShmFixture(RegionSpec.named("jmh").atomicLong("counter").build());
        shared = fixture.region.atomicLong("counter");
    }

    @TearDown
    public void tearDown() {
        fixture.close();
    }

    @Benchmark
    public long sharedIncrementAndGet() {
        return shared.incrementAndGet();
    }

    @Benchmark
    public long heapIncrementAndGet() {
        return heap.incrementAndGet();
    }

    @Benchmark
    @Group("sharedContended")
    @GroupThreads(2)
    public long sharedIncrementAndGetTwoThreads() {
        return shared.incrementAndGet();
    }

    @Benchmark
    @Group("heapContended")
    @GroupThreads(2)
    public long heapIncrementAndGetTwoThreads() {
        return heap.incrementAndGet();
    }
}
