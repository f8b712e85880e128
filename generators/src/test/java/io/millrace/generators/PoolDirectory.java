package io.millrace.generators;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A private base directory under /dev/shm (0700) for one test class, so that the class shares one pool (a worker JVM
 * costs ~0.5 s to start on 2 cores). Pools registered with {@link #track} are closed after the class; then the
 * directory must become empty (node and stream regions removed): a class that leaves files fails.
 */
final class PoolDirectory implements BeforeAllCallback, AfterAllCallback {
    private final List<AutoCloseable> tracked = new ArrayList<>();
    private Path path;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path root = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        path = Files.createTempDirectory(root, "millrace-gen-test-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
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
        deleteTree(path);
        if (!left.isEmpty() && context.getExecutionException().isEmpty()) {
            throw new AssertionError("the test class left files in its base directory: " + left);
        }
    }

    /** Deletes {@code root} and everything under it (also for the A/B mains' temporary directories). */
    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    Path path() {
        return path;
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
