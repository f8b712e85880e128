package io.millrace.generators;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A private base directory under /dev/shm (0700) for one test class, and the pool the class shares (a worker JVM
 * costs ~0.5 s to start on 2 cores). Pools made with {@link #pool(WorkerPoolBuilder)} are closed after the class;
 * then the directory must become empty (node and stream regions removed): a class that leaves files fails.
 */
final class PoolDirectory implements BeforeAllCallback, AfterAllCallback {
    private static final Duration MAP_TIMEOUT = Duration.ofSeconds(60);
    private final List<AutoCloseable> tracked = new ArrayList<>();
    private final int poolSize;
    private Path path;
    private WorkerPool pool;

    /** The directory alone: the class makes its pools with {@link #pool(WorkerPoolBuilder)}. */
    PoolDirectory() {
        this(0);
    }

    /** The directory and the class's pool of {@code poolSize} workers ({@link #pool()}), started before its tests. */
    PoolDirectory(int poolSize) {
        this.poolSize = poolSize;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path root = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        path = Files.createTempDirectory(root, "millrace-gen-test-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (poolSize > 0) {
            pool = pool(WorkerPool.builder().size(poolSize));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        for (AutoCloseable closeable : tracked.reversed()) {
            closeable.close();
        }
        List<String> left = files();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(20_000_000);
            left = files();
        }
        BenchPool.deleteTree(path);
        if (!left.isEmpty() && context.getExecutionException().isEmpty()) {
            throw new AssertionError("the test class left files in its base directory: " + left);
        }
    }

    Path path() {
        return path;
    }

    /** The class's pool ({@link #PoolDirectory(int)}). */
    WorkerPool pool() {
        return Objects.requireNonNull(pool, "this PoolDirectory has no pool of the class: new PoolDirectory(size)");
    }

    /**
     * Map options over the class's pool, waiting up to 60 s: on 2 workers, 4 chunks in flight, 2 of them queued in
     * the workers.
     */
    MapOptions options() {
        return MapOptions.defaults().withPool(pool()).withTimeout(MAP_TIMEOUT);
    }

    /** A pool in this directory, closed after the class. */
    WorkerPool pool(WorkerPoolBuilder builder) {
        WorkerPool pool = builder.baseDirectory(path).build();
        tracked.add(pool);
        return pool;
    }

    List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(path)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
