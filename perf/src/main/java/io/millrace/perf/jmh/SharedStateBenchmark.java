package io.millrace.perf.jmh;

import io.millrace.shm.Jvm;
import io.millrace.shm.ShmDirectory;
import io.millrace.state.EntryCodec;
import io.millrace.state.MapTx;
import io.millrace.state.SharedMap;
import io.millrace.state.Struct;
import io.millrace.state.StructArray;
import io.millrace.state.StructType;
import io.millrace.state.Transactions;
import io.millrace.state.Tx;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Shared state in one JVM: {@code struct-inc} ({@code addBalance} on one field of a live struct, one thread and two
 * contending), {@code map-get} and {@code map-put} on a {@link SharedMap} of {@code entries} 8-byte keys with 64-byte
 * values (raw bytes, random keys), {@code tx-commit} (a transfer between two structs: 2 reads, 2 writes; one thread and
 * two contending; {@code txCommitAlone}: one struct, one field; {@code txCommitMixed}: a struct and a map entry in
 * one transaction over both regions). Average time per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = Jvm.NATIVE_ACCESS_FLAG)
public class SharedStateBenchmark {

    /** The struct of {@code struct-inc}. */
    public interface Counter extends Struct<Counter.Value> {
        record Value(long count) {
        }

        long count();

        long addCount(long delta);
    }

    @Param("1000000")
    public int entries;

    private Path path;
    private StructArray<Counter> counters;
    private Counter counter;
    private SharedMap<byte[], byte[]> map;
    private final byte[] value = new byte[64];

    @Setup(Level.Trial)
    public void setUp() {
        Path root = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        path = root.resolve("millrace-jmh-state-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        ShmDirectory directory = ShmDirectory.at(path);
        counters = StructArray.create(directory, "counters", StructType.of(Counter.class), 2);
        counter = counters.get(0);
        map = SharedMap.create(directory, "map", new SharedMap.Capacity(entries, 8, 64), EntryCodec.bytes(),
                EntryCodec.bytes());
        for (int i = 0; i < entries; i++) {
            map.put(key(i), value);
        }
    }

    private static byte[] key(long i) {
        return ByteBuffer.allocate(8).putLong(i).array();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        counters.close();
        map.close();
        Transactions.closeLog(ShmDirectory.at(path));
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Benchmark
    public long structInc() {
        return counter.addCount(1);
    }

    @Benchmark
    @Group("structIncContended")
    @GroupThreads(2)
    public long structIncTwoThreads() {
        return counter.addCount(1);
    }

    /** {@code tx-commit}: a transaction of 2 reads and 2 writes (a transfer between two structs). */
    @Benchmark
    public void txCommit() {
        transfer();
    }

    /** {@code tx-commit} of one struct: a read and a write of one field, committed without a descriptor. */
    @Benchmark
    public void txCommitAlone() {
        Counter a = counters.get(0);
        Transactions.atomic(counters, tx -> tx.setLong(a, "count", tx.getLong(a, "count") + 1));
    }

    /** A transfer from a struct to a map entry: one commit point for both regions (the directory's log). */
    @Benchmark
    public void txCommitMixed() {
        Counter a = counters.get(0);
        byte[] key = key(0);
        Transactions.atomic(tx -> {
            Tx structs = tx.on(counters);
            MapTx<byte[], byte[]> entries = tx.on(map);
            structs.setLong(a, "count", structs.getLong(a, "count") - 1);
            byte[] v = entries.get(key).clone();
            v[0]++;
            entries.put(key, v);
        });
    }

    @Benchmark
    @Group("txCommitContended")
    @GroupThreads(2)
    public void txCommitTwoThreads() {
        transfer();
    }

    private void transfer() {
        Counter a = counters.get(0);
        Counter b = counters.get(1);
        Transactions.atomic(counters, tx -> {
            tx.setLong(a, "count", tx.getLong(a, "count") - 1);
            tx.setLong(b, "count", tx.getLong(b, "count") + 1);
        });
    }

    @Benchmark
    public byte[] mapGet() {
        return map.get(key(ThreadLocalRandom.current().nextInt(entries)));
    }

    @Benchmark
    public byte[] mapPut() {
        return map.put(key(ThreadLocalRandom.current().nextInt(entries)), value);
    }
}
