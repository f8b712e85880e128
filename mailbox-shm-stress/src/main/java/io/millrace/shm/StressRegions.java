package io.millrace.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Rings and signals for jcstress states, in regions of a base directory of the stress run.
 *
 * <p>jcstress makes a new state object for every sample, thousands alive at once, far too many for a region each.
 * So a state takes a quiescent {@link Lane} (or {@link SignalSlot}) from a {@link Pool} in its constructor, and its
 * arbiter hands it back drained: a fork JVM needs about as many lanes as states alive at once, made
 * {@value #PER_REGION} to a region as a pool runs dry. A lane whose arbiter found it broken is not handed back.
 *
 * <p>The base directory is {@code -Dmillrace.stress.dir}, which {@link StressMain} creates for each run (and removes,
 * failing the run if a fork left files in it); without it (a test run by hand), this JVM makes its own under
 * /dev/shm. At JVM exit every region is closed and unlinked, and a directory of the JVM's own removed.
 */
final class StressRegions {
    /** The system property naming the base directory of the stress run. */
    static final String DIR_PROPERTY = "millrace.stress.dir";
    /** Data bytes of every ring: the smallest ring, so that laps come round fast. */
    static final int RING_CAPACITY = 1024;
    /** Lanes (or signal slots) made at once, in one region. */
    static final int PER_REGION = 256;
    /** Bytes of a signal slot: the signal on its own block, then the ready word on another. */
    private static final int SLOT_BYTES = 2 * StressAccess.SIGNAL_BYTES;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    private static final AtomicInteger REGION_NUMBER = new AtomicInteger();
    private static final List<SharedRegion> OPEN = new ArrayList<>();
    private static ShmDirectory directory;
    private static Path ownDirectory;

    private StressRegions() {
    }

    /**
     * A ring seen through two handles, each from its own attachment of the region, as a producer process and a
     * consumer process would see it.
     */
    record Lane(Ring producer, Ring consumer) {
        /** True when every record claimed has been consumed and released, and none was skipped. */
        boolean isDrained() {
            RingStats stats = consumer.stats();
            return stats.lag() == 0 && stats.skippedRecords() == 0;
        }
    }

    /** A {@link Signal} and a ready word of the stress test's own, each on its own 128 bytes. */
    record SignalSlot(Signal signal, MemorySegment segment, long offset) {
        boolean readyAcquire() {
            return (int) INT.getAcquire(segment, offset + StressAccess.SIGNAL_BYTES) != 0;
        }

        /** The publishing store that the sleeper's readiness check looks for. */
        void putReadyRelease(boolean ready) {
            INT.setRelease(segment, offset + StressAccess.SIGNAL_BYTES, ready ? 1 : 0);
        }

        int sequence() {
            return StressAccess.sequence(segment, offset);
        }

        boolean isQuiescent() {
            return StressAccess.waiters(signal) == 0;
        }
    }

    /** Free lanes or slots of one test class, made a region at a time. Thread-safe. */
    static final class Pool<T> {
        private final ConcurrentLinkedQueue<T> free = new ConcurrentLinkedQueue<>();
        private final Function<SharedRegion[], List<T>> make;
        private final Function<String, RegionSpec> spec;

        private Pool(Function<String, RegionSpec> spec, Function<SharedRegion[], List<T>> make) {
            this.spec = spec;
            this.make = make;
        }

        /** A lane or slot no state uses now; makes a region of them when none is free. */
        T take() {
            while (true) {
                T item = free.poll();
                if (item != null) {
                    return item;
                }
                free.addAll(make.apply(openTwice(spec)));
            }
        }

        /** Hands back a lane or slot that is quiescent again. */
        void give(T item) {
            free.add(item);
        }
    }

    /** A pool of SPSC or MPSC lanes of {@link #RING_CAPACITY} bytes. */
    static Pool<Lane> lanes(RegionSpec.Kind kind) {
        return new Pool<>(name -> {
            RegionSpec.Builder builder = RegionSpec.named(name).participants(2);
            for (int i = 0; i < PER_REGION; i++) {
                if (kind == RegionSpec.Kind.SPSC_RING) {
                    builder.spscRing("r" + i, RING_CAPACITY);
                } else {
                    builder.mpscRing("r" + i, RING_CAPACITY);
                }
            }
            return builder.build();
        }, sides -> {
            List<Lane> made = new ArrayList<>(PER_REGION);
            for (int i = 0; i < PER_REGION; i++) {
                made.add(new Lane(sides[0].ring("r" + i), sides[1].ring("r" + i)));
            }
            return made;
        });
    }

    /** A pool of signal slots, each with its ready word cleared. */
    static Pool<SignalSlot> signals() {
        return new Pool<>(name -> RegionSpec.named(name).participants(2).block("slots", PER_REGION * SLOT_BYTES)
                .build(), sides -> {
            MemorySegment block = sides[0].block("slots");
            List<SignalSlot> made = new ArrayList<>(PER_REGION);
            for (int i = 0; i < PER_REGION; i++) {
                long offset = (long) i * SLOT_BYTES;
                made.add(new SignalSlot(StressAccess.signal(block, offset), block, offset));
            }
            return made;
        });
    }

    /** Creates a region and attaches to it a second time: the producer's side first, the consumer's second. */
    private static synchronized SharedRegion[] openTwice(Function<String, RegionSpec> spec) {
        ShmDirectory dir = directory();
        String name = "stress-" + ProcessHandle.current().pid() + "-" + REGION_NUMBER.incrementAndGet();
        SharedRegion creator = dir.create(spec.apply(name));
        OPEN.add(creator);
        SharedRegion second = dir.attach(name, Duration.ofSeconds(10));
        OPEN.add(second);
        return new SharedRegion[] {creator, second};
    }

    private static ShmDirectory directory() {
        if (directory != null) {
            return directory;
        }
        if (!StressAccess.futexAvailable() || !nativeAccessFlagGiven()) {
            throw new IllegalStateException("futex waits need Linux and --enable-native-access=ALL-UNNAMED in every "
                    + "stress JVM (StressMain passes it to jcstress's forks with -jvmArgsPrepend)");
        }
        String configured = System.getProperty(DIR_PROPERTY);
        Path path;
        if (configured != null && !configured.isBlank()) {
            path = Path.of(configured);
        } else {
            Path shm = Path.of("/dev/shm");
            try {
                path = Files.createTempDirectory(Files.isDirectory(shm) ? shm : Path.of(System.getProperty(
                        "java.io.tmpdir")), "millrace-stress-", PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a base directory for the stress regions", e);
            }
            ownDirectory = path;
        }
        directory = ShmDirectory.at(path);
        Runtime.getRuntime().addShutdownHook(new Thread(StressRegions::closeAll, "millrace-stress-cleanup"));
        return directory;
    }

    /**
     * True when this JVM was started with {@code --enable-native-access=ALL-UNNAMED}. Without it the JDK allows the
     * futex downcall with a warning, and then enables native access for the class path for good (jcstress's own JNA
     * call does that in every fork), so the flag is looked for among the JVM's arguments.
     */
    private static boolean nativeAccessFlagGiven() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(arg -> arg.startsWith("--enable-native-access="))
                .anyMatch(arg -> Arrays.asList(arg.substring(arg.indexOf('=') + 1).split(",")).contains("ALL-UNNAMED"));
    }

    /** Closes and unlinks every region of this JVM, and removes its own base directory. */
    private static synchronized void closeAll() {
        for (SharedRegion region : OPEN) {
            try {
                region.close();
                region.unlink();
            } catch (RuntimeException e) {
                System.err.println("stress cleanup: " + region + ": " + e);
            }
        }
        OPEN.clear();
        if (ownDirectory != null) {
            deleteRecursively(ownDirectory);
        }
    }

    /** Removes {@code root} and everything below it; true if anything was there. */
    static boolean deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + root, e);
        }
        return true;
    }
}
