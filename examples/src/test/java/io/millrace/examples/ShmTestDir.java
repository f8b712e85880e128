package io.millrace.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A base directory of a test's own: {@code /dev/shm/millrace-cli-test-*} (the default temporary directory where
 * there is no /dev/shm), mode 0700. {@link #close()} asserts that no region file is left, then deletes it.
 */
final class ShmTestDir implements AutoCloseable {
    private static final Path DEV_SHM = Path.of("/dev/shm");

    private final Path path;

    ShmTestDir() throws IOException {
        var mode = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
        path = Files.isDirectory(DEV_SHM) && Files.isWritable(DEV_SHM)
                ? Files.createTempDirectory(DEV_SHM, "millrace-cli-test-", mode)
                : Files.createTempDirectory("millrace-cli-test-", mode);
    }

    Path path() {
        return path;
    }

    /** The names of the files in the directory, sorted. */
    List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(path)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Asserts that the test left no region file behind, then deletes the directory and anything in it. */
    @Override
    public void close() throws IOException {
        try {
            assertThat(files()).as("region files left in %s", path).noneMatch(f -> f.endsWith(".region"));
        } finally {
            try (Stream<Path> walk = Files.walk(path)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
