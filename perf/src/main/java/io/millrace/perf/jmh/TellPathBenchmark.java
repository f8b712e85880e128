package io.millrace.perf.jmh;

import io.millrace.actors.codec.MessageCodec;
import io.millrace.actors.codec.TypeRegistry;
import io.millrace.actors.remote.Delivery;
import io.millrace.actors.remote.Inbound;
import io.millrace.actors.remote.MessageEncoder;
import io.millrace.actors.remote.Outbound;
import io.millrace.shm.Jvm;
import io.millrace.shm.RegionSpec;
import io.millrace.shm.Ring;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The in-process path of one remote tell, on one thread (no cross-core traffic: {@code ./millrace bench
 * --scenarios actor-tell} measures that): the actors' {@link Outbound} encodes a 64 B-class record of six longs (the
 * bench's {@code Msg}) with the {@link MessageCodec} into a claim of a 1 MiB MPSC ring (a lane ring's default size),
 * and {@link Inbound} polls it and decodes it in place, as a lane does; per message, one at a time or
 * {@value #BATCH} sent then drained by one poll.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Jvm.NATIVE_ACCESS_FLAG)
public class TellPathBenchmark {

    static final int BATCH = 64;
    private static final long TARGET = 42;

    /** The bench's actor-tell message. */
    public record Msg(long header, long producer, long a, long b, long c, long d) {
    }

    private ShmFixture fixture;
    private Ring ring;
    private MessageCodec codec;
    private Outbound outbound;
    private MessageEncoder<Object> encoder;
    private Inbound inbound;
    private Delivery delivery;
    private long sequence;
    private long seen;

    @Setup
    public void setUp() {
        fixture = new ShmFixture(RegionSpec.named("jmh").mpscRing("lane", 1 << 20).build());
        ring = fixture.region.ring("lane");
        codec = new MessageCodec(TypeRegistry.inMemory());
        outbound = new Outbound(64 << 20);
        encoder = MessageEncoder.of(codec);
        inbound = new Inbound(64 << 20);
        delivery = new Delivery() {
            @Override
            public void deliver(long targetUid, MemorySegment segment, long offset, int length) {
                seen += ((Msg) codec.read(segment, offset, length)).header() + targetUid;
            }

            @Override
            public void corrupt(String what) {
                throw new IllegalStateException(what);
            }
        };
    }

    @TearDown
    public void tearDown() {
        fixture.close();
    }

    private void send() {
        long h = sequence++;
        if (!outbound.send(ring, TARGET, encoder, new Msg(h, 1, h + 1, h + 2, h + 3, h + 4), Duration.ZERO)) {
            throw new IllegalStateException("ring full");
        }
    }

    @Benchmark
    public long sendThenPoll() {
        send();
        inbound.poll(ring, delivery, 1);
        return seen;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long sendBatchThenPollBatch() {
        for (int i = 0; i < BATCH; i++) {
            send();
        }
        inbound.poll(ring, delivery, BATCH);
        return seen;
    }
}
