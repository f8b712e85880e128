package io.millrace.reactive;

import io.millrace.shm.ShmDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A private base directory for a TCK class (TestNG has no {@code ShmTestDirectory}): {@link #close()} waits for
 * the regions of ended subscriptions to go, fails naming those left, and removes the directory.
 */
final class TckDirectory implements AutoCloseable {
    private final Path path;
    private final ShmDirectory directory;

    TckDirectory() throws IOException {
        Path root = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        path = Files.createTempDirectory(root, "millrace-tck-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        directory = ShmDirectory.at(path);
    }

    ShmDirectory directory() {
        return directory;
    }

    @Override
    public void close() throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> left = files();
        while (!left.isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(10_000_000);
            left = files();
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
        if (!left.isEmpty()) {
            throw new AssertionError("the TCK run left regions behind: " + left);
        }
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(path)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
