package io.millrace.perf.jmh;

import io.millrace.shm.RegionSpec;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A region in a private base directory of its own under /dev/shm, removed with everything in it on close. */
final class ShmFixture implements AutoCloseable {

    private final Path path;
    final SharedRegion region;

    ShmFixture(RegionSpec spec) {
        Path root = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        this.path = root.resolve("millrace-jmh-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        this.region = ShmDirectory.at(path).create(spec);
    }

    @Override
    public void close() {
        region.close();
        region.unlink();
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
