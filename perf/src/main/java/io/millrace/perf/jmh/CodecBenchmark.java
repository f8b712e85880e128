package io.millrace.perf.jmh;

import io.millrace.actors.codec.MessageCodec;
import io.millrace.actors.codec.TypeRegistry;
import io.millrace.shm.Jvm;
import org.apache.fory.Fory;
import org.apache.fory.memory.MemoryBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Encoding and decoding one message, on one thread: Millrace's actor codec ({@code sizeOf} + {@code write} into an
 * off-heap segment, as into a ring's claimed slice, and {@code read} in place) beside Apache Fory (Java native mode,
 * classes registered, no reference tracking or schema evolution: both ends run the same classes; into and from a
 * reused {@code MemoryBuffer}) and JDK serialization (an {@code ObjectOutputStream} per message over a reused
 * {@code ByteArrayOutputStream}). {@code small} is a record of an int, a long and a short string; {@code nested} an
 * order of three lines of two points each, with strings and an enum.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Jvm.NATIVE_ACCESS_FLAG)
public class CodecBenchmark {

    /** A small message. */
    public record Ping(int seq, long sentNanos, String from) implements Serializable {
    }

    /** A point of a line. */
    public record Point(int x, int y) implements Serializable {
    }

    /** A line of an order. */
    public record Line(Point from, Point to, String label) implements Serializable {
    }

    /** An order's state. */
    public enum Status { OPEN, SHIPPED }

    /** A nested message: records in a list in a record. */
    public record Order(long id, String customer, List<Line> lines, Status status) implements Serializable {
    }

    private final Ping small = new Ping(42, 123_456_789L, "pinger-1");
    private final Order nested = new Order(7L, "customer-0042", List.of(
            new Line(new Point(1, 2), new Point(3, 4), "first"),
            new Line(new Point(5, 6), new Point(7, 8), "second"),
            new Line(new Point(9, 10), new Point(11, 12), "third")), Status.OPEN);

    private Arena arena;
    private MemorySegment segment;
    private MessageCodec codec;
    private MemorySegment smallEncoded;
    private int smallLength;
    private MemorySegment nestedEncoded;
    private int nestedLength;

    private Fory fory;
    private MemoryBuffer foryOut;
    private MemoryBuffer forySmall;
    private MemoryBuffer foryNested;

    private ByteArrayOutputStream jdkOut;
    private byte[] jdkSmall;
    private byte[] jdkNested;

    @Setup
    public void setUp() throws IOException {
        arena = Arena.ofShared();
        segment = arena.allocate(4096, 128);
        codec = new MessageCodec(TypeRegistry.inMemory());
        smallLength = codec.sizeOf(small);
        smallEncoded = arena.allocate(smallLength);
        codec.write(small, smallEncoded, 0, smallLength);
        nestedLength = codec.sizeOf(nested);
        nestedEncoded = arena.allocate(nestedLength);
        codec.write(nested, nestedEncoded, 0, nestedLength);

        fory = Fory.builder().withXlang(false).withRefTracking(false).withCompatible(false)
                .requireClassRegistration(true).build();
        for (Class<?> type : List.of(Ping.class, Point.class, Line.class, Status.class, Order.class)) {
            fory.register(type);
        }
        foryOut = MemoryBuffer.newHeapBuffer(4096);
        forySmall = MemoryBuffer.fromByteArray(fory.serialize(small));
        foryNested = MemoryBuffer.fromByteArray(fory.serialize(nested));

        jdkOut = new ByteArrayOutputStream(4096);
        jdkSmall = jdk(small);
        jdkNested = jdk(nested);
        if (!small.equals(codec.read(smallEncoded, 0, smallLength)) || !nested.equals(fory.deserialize(foryNested))) {
            throw new IllegalStateException("a codec does not round-trip");
        }
        foryNested.readerIndex(0);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    private int jdkWrite(Object message) throws IOException {
        jdkOut.reset();
        try (ObjectOutputStream out = new ObjectOutputStream(jdkOut)) {
            out.writeObject(message);
        }
        return jdkOut.size();
    }

    private byte[] jdk(Object message) throws IOException {
        jdkWrite(message);
        return jdkOut.toByteArray();
    }

    private int millraceEncode(Object message) {
        int length = codec.sizeOf(message);
        codec.write(message, segment, 0, length);
        return length;
    }

    @Benchmark
    public int millraceEncodeSmall() {
        return millraceEncode(small);
    }

    @Benchmark
    public Object millraceDecodeSmall() {
        return codec.read(smallEncoded, 0, smallLength);
    }

    @Benchmark
    public int millraceEncodeNested() {
        return millraceEncode(nested);
    }

    @Benchmark
    public Object millraceDecodeNested() {
        return codec.read(nestedEncoded, 0, nestedLength);
    }

    private int foryEncode(Object message) {
        foryOut.writerIndex(0);
        fory.serialize(foryOut, message);
        return foryOut.writerIndex();
    }

    @Benchmark
    public int foryEncodeSmall() {
        return foryEncode(small);
    }

    @Benchmark
    public Object foryDecodeSmall() {
        forySmall.readerIndex(0);
        return fory.deserialize(forySmall);
    }

    @Benchmark
    public int foryEncodeNested() {
        return foryEncode(nested);
    }

    @Benchmark
    public Object foryDecodeNested() {
        foryNested.readerIndex(0);
        return fory.deserialize(foryNested);
    }

    @Benchmark
    public int jdkEncodeSmall() throws IOException {
        return jdkWrite(small);
    }

    @Benchmark
    public Object jdkDecodeSmall() throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(jdkSmall))) {
            return in.readObject();
        }
    }

    @Benchmark
    public int jdkEncodeNested() throws IOException {
        return jdkWrite(nested);
    }

    @Benchmark
    public Object jdkDecodeNested() throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(jdkNested))) {
            return in.readObject();
        }
    }
}
