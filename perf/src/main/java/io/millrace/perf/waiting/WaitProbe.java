package io.millrace.perf.waiting;

import io.millrace.shm.Jvm;
import io.millrace.shm.OfferStatus;
import io.millrace.shm.RegionSpec;
import io.millrace.shm.Ring;
import io.millrace.shm.ShmDirectory;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.WaitStrategy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures what the blocking wait strategy costs and gives: the CPU an idle consumer, asleep on a futex in
 * shared memory, uses while nothing arrives, and how soon after a publish by another process it is awake.
 *
 * <p>The parent creates two SPSC rings ({@code ping} to the child, {@code pong} back) and starts a child JVM that
 * waits on {@code ping} with {@link WaitStrategy#blocking()}. Idle CPU: the child's CPU time (from the kernel)
 * over {@code idleSeconds} with nothing sent. Wake-up: repeatedly, once the child is asleep in the kernel, the
 * parent publishes a message stamped with {@link System#nanoTime()} (CLOCK_MONOTONIC, one clock for every process
 * on the host); the child subtracts the stamp from its own clock when it has the message and sends that back.
 * Beside it, a baseline between the same two processes: a bare futex wake-up on a word of a mapped file
 * ({@link BareFutex}), stamped and timed the same way. It is not a lower bound: on a VM both move by tens of
 * microseconds from run to run, and either may come out ahead. Whoever waits for a reply sleeps too, so that the woken
 * process has a CPU to wake on (on two CPUs, a parent spinning for the reply made one wake-up in a hundred wait for a
 * scheduler tick).
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp perf/target/millrace-perf.jar io.millrace.perf.waiting.WaitProbe [idleSeconds] [samples]</pre>
 */
public final class WaitProbe {

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private WaitProbe() {
    }

    /**
     * Results: idle CPU in percent of one core (the blocked consumer thread, and its whole JVM with GC, JIT and
     * heartbeat threads), and wake-up latency percentiles in nanoseconds.
     */
    public record Result(double idleThreadCpuPercent, double idleProcessCpuPercent, long wakeP50Nanos,
                         long wakeP99Nanos, long wakeMaxNanos, int samples, long floorP50Nanos, long floorP99Nanos) {
        /** A result without the bare futex baseline (a machine without futexes). */
        public Result(double idleThreadCpuPercent, double idleProcessCpuPercent, long wakeP50Nanos, long wakeP99Nanos,
                      long wakeMaxNanos, int samples) {
            this(idleThreadCpuPercent, idleProcessCpuPercent, wakeP50Nanos, wakeP99Nanos, wakeMaxNanos, samples, -1, -1);
        }

        @Override
        public String toString() {
            String result = String.format("idle blocked consumer: %.3f %% of a core (its whole JVM: %.3f %%); wake-up "
                    + "after publish: p50 %,d ns, p99 %,d ns, max %,d ns (%d samples)", idleThreadCpuPercent,
                    idleProcessCpuPercent, wakeP50Nanos, wakeP99Nanos, wakeMaxNanos, samples);
            return floorP50Nanos < 0 ? result : result + String.format("; baseline, a bare futex wake-up "
                    + "between the same processes: p50 %,d ns, p99 %,d ns", floorP50Nanos, floorP99Nanos);
        }
    }

    private static final long STOP = -1L;
    private static final long CPU_QUERY = -2L;
    /** Command: leave the ring and answer bare futex wake-ups on the floor file until its word goes negative. */
    private static final long FLOOR = -3L;
    /** The floor file: the futex word, the parent's stamp, the child's reply and the number it answers. */
    private static final long FLOOR_WORD = 0;
    private static final long FLOOR_STAMP = 8;
    private static final long FLOOR_REPLY = 16;
    private static final long FLOOR_ANSWERED = 24;
    private static final int FLOOR_FILE_BYTES = 4096;

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("child")) {
            child(Path.of(args[1]), args[2], Path.of(args[3]));
            return;
        }
        int idleSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        System.out.println(run(ShmDirectory.defaultDirectory(), idleSeconds, samples));
    }

    /** As {@link #run(ShmDirectory, Path, int, int)}, with the baseline's futex file in {@code java.io.tmpdir}. */
    public static Result run(ShmDirectory directory, int idleSeconds, int samples) throws Exception {
        return run(directory, Path.of(System.getProperty("java.io.tmpdir")), idleSeconds, samples);
    }

    /**
     * Runs the probe: its region {@code waitprobe-<pid>} in {@code directory}, the bare futex baseline's file
     * {@code millrace-waitprobe-*.futex} in {@code scratch}; both removed at the end, the child JVM reaped.
     *
     * @param directory   where the probe's region goes
     * @param scratch     an existing directory for the baseline's futex file (a private one keeps runs apart)
     * @param idleSeconds how long the idle window lasts, at least 1
     * @param samples     wake-ups measured, at least 1
     * @return the figures
     * @throws IllegalArgumentException if {@code idleSeconds} or {@code samples} is below 1
     * @throws Exception                if the child could not start, or a file could not be made
     */
    public static Result run(ShmDirectory directory, Path scratch, int idleSeconds, int samples) throws Exception {
        if (idleSeconds < 1 || samples < 1) {
            throw new IllegalArgumentException("idleSeconds=" + idleSeconds + " and samples=" + samples
                    + " must be at least 1");
        }
        java.util.Objects.requireNonNull(scratch, "scratch");
        String name = "waitprobe-" + ProcessHandle.current().pid();
        Process child = null;
        Path floorFile = Files.createTempFile(scratch, "millrace-waitprobe-", ".futex");
        try (SharedRegion region = directory.create(RegionSpec.named(name).spscRing("ping", 4096)
                .spscRing("pong", 4096).build()); Arena arena = Arena.ofShared()) {
            MemorySegment floor = map(floorFile, FLOOR_FILE_BYTES, arena);
            Ring ping = region.ring("ping");
            Ring pong = region.ring("pong").waitStrategy(WaitStrategy.blocking()); // free the CPU the child wakes on
            child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    Jvm.NATIVE_ACCESS_FLAG, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                    WaitProbe.class.getName(), "child", directory.path().toString(), name, floorFile.toString())
                    .inheritIO().start();
            long[] reply = new long[1];
            MemorySegment message = Arena.ofAuto().allocate(8, 8);
            // warm up both sides' code paths, then let the child fall asleep
            for (int i = 0; i < 2_000; i++) {
                roundTrip(ping, pong, message, reply, child);
            }
            TimeUnit.SECONDS.sleep(2); // let the child's JIT and GC settle before the idle window
            long threadBefore = query(ping, pong, message, reply, child, CPU_QUERY);
            awaitAsleep(ping, child);
            long processBefore = cpuNanos(child);
            long wallBefore = System.nanoTime();
            TimeUnit.SECONDS.sleep(idleSeconds); // the measurement itself: nothing is sent for this long
            long processCpu = cpuNanos(child) - processBefore;
            long wall = System.nanoTime() - wallBefore;
            long threadCpu = query(ping, pong, message, reply, child, CPU_QUERY) - threadBefore;
            long[] wakes = new long[samples];
            for (int i = 0; i < samples; i++) {
                awaitAsleep(ping, child);
                wakes[i] = roundTrip(ping, pong, message, reply, child);
            }
            long[] floors = null;
            if (BareFutex.available()) {
                query(ping, pong, message, reply, child, FLOOR); // the child has mapped the floor file
                floors = new long[samples];
                for (int i = 0; i < samples; i++) {
                    floors[i] = floorWake(floor, i + 1, child);
                }
                INT.setRelease(floor, FLOOR_WORD, -1); // ends the child's floor loop, and the child
                BareFutex.wake(floor.asSlice(FLOOR_WORD, 4));
            } else {
                message.set(ValueLayout.JAVA_LONG, 0, STOP);
                ping.send(1, message, Duration.ofSeconds(10));
            }
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("wait probe child did not stop");
            }
            return new Result(100.0 * threadCpu / wall, 100.0 * processCpu / wall, percentile(wakes, 0.5),
                    percentile(wakes, 0.99), Arrays.stream(wakes).max().orElseThrow(), samples,
                    floors == null ? -1 : percentile(floors, 0.5), floors == null ? -1 : percentile(floors, 0.99));
        } finally {
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
                child.waitFor();
            }
            directory.unlink(name);
            Files.deleteIfExists(floorFile);
        }
    }

    private static long percentile(long[] values, double p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) (sorted.length * p)];
    }

    /**
     * One bare futex wake-up: once the child sleeps on the word (2 ms after its last answer), stamps, bumps the word
     * to {@code n} and wakes it; returns the latency the child measured. Polls for the answer with short sleeps.
     */
    private static long floorWake(MemorySegment floor, int n, Process child) throws InterruptedException {
        Thread.sleep(2);
        floor.set(ValueLayout.JAVA_LONG, FLOOR_STAMP, System.nanoTime());
        INT.setRelease(floor, FLOOR_WORD, n);
        BareFutex.wake(floor.asSlice(FLOOR_WORD, 4));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((int) INT.getAcquire(floor, FLOOR_ANSWERED) != n) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the wait probe child did not answer a bare futex wake-up");
            }
            LockSupport.parkNanos(20_000);
        }
        return floor.get(ValueLayout.JAVA_LONG, FLOOR_REPLY);
    }

    /** The child's side of the floor: sleeps on the word, and answers each new value with its latency. */
    private static void floorLoop(MemorySegment floor) {
        MemorySegment word = floor.asSlice(FLOOR_WORD, 4);
        MemorySegment timespec = Arena.ofAuto().allocate(16, 8);
        timespec.set(ValueLayout.JAVA_LONG, 0, 1L); // wake at least once a second to re-read the word
        int seen = 0;
        while (true) {
            int now;
            while ((now = (int) INT.getAcquire(floor, FLOOR_WORD)) == seen) {
                BareFutex.await(word, seen, timespec);
            }
            long latency = System.nanoTime() - floor.get(ValueLayout.JAVA_LONG, FLOOR_STAMP);
            if (now < 0) {
                return;
            }
            floor.set(ValueLayout.JAVA_LONG, FLOOR_REPLY, latency);
            INT.setRelease(floor, FLOOR_ANSWERED, now);
            seen = now;
        }
    }

    private static MemorySegment map(Path file, int bytes, Arena arena) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (channel.size() < bytes) {
                channel.write(java.nio.ByteBuffer.wrap(new byte[bytes]), 0);
            }
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
        }
    }

    private static long roundTrip(Ring ping, Ring pong, MemorySegment message, long[] reply, Process child) {
        return query(ping, pong, message, reply, child, System.nanoTime());
    }

    /** Sends {@code value} (a timestamp, or a command) and returns the child's reply. */
    private static long query(Ring ping, Ring pong, MemorySegment message, long[] reply, Process child, long value) {
        message.set(ValueLayout.JAVA_LONG, 0, value);
        if (ping.offer(1, message) != OfferStatus.ACCEPTED) {
            throw new IllegalStateException("ping ring full");
        }
        while (pong.receive((type, buffer, offset, length) -> reply[0] = buffer.get(ValueLayout.JAVA_LONG, offset),
                1, Duration.ofSeconds(1)) == 0) {
            if (!child.isAlive()) {
                throw new IllegalStateException("wait probe child died with exit code " + child.exitValue());
            }
        }
        return reply[0];
    }

    /** Waits until the child sleeps in the kernel on the ping ring (bounded). */
    private static void awaitAsleep(Ring ping, Process child) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ping.stats().sleepers() == 0) {
            if (!child.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the wait probe child never went to sleep");
            }
            Thread.sleep(1);
        }
        Thread.sleep(2); // let it settle into FUTEX_WAIT past its 2 us re-check
    }

    private static long cpuNanos(Process process) {
        return process.info().totalCpuDuration().orElseThrow(
                () -> new IllegalStateException("this OS does not report a process's CPU time")).toNanos();
    }

    private static void child(Path base, String name, Path floorFile) throws IOException {
        try (SharedRegion region = ShmDirectory.at(base).attach(name, Duration.ofSeconds(30));
             Arena arena = Arena.ofConfined()) {
            Ring ping = region.ring("ping").waitStrategy(WaitStrategy.blocking());
            Ring pong = region.ring("pong");
            MemorySegment reply = Arena.ofAuto().allocate(8, 8);
            long[] stamp = new long[1];
            long[] latency = new long[1];
            while (true) {
                ping.receive((type, buffer, offset, length) -> {
                    stamp[0] = buffer.get(ValueLayout.JAVA_LONG, offset);
                    latency[0] = System.nanoTime() - stamp[0];
                }, 1, Duration.ofDays(1));
                if (stamp[0] == STOP) {
                    return;
                }
                if (stamp[0] == FLOOR) {
                    MemorySegment floor = map(floorFile, FLOOR_FILE_BYTES, arena);
                    reply.set(ValueLayout.JAVA_LONG, 0, 0L);
                    pong.send(1, reply, Duration.ofSeconds(10));
                    floorLoop(floor);
                    return;
                }
                reply.set(ValueLayout.JAVA_LONG, 0, stamp[0] == CPU_QUERY
                        ? java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime()
                        : latency[0]);
                pong.send(1, reply, Duration.ofSeconds(10));
            }
        }
    }
}
