package io.millrace.shm;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Gives each test a private base directory under /dev/shm (mode 0700) and removes it afterwards. A test that
 * leaves region files behind fails: cleaning up is part of the behaviour under test.
 *
 * <pre>{@code @RegisterExtension final ShmTestDirectory shm = new ShmTestDirectory();}</pre>
 */
public final class ShmTestDirectory implements BeforeEachCallback, AfterEachCallback {
    private Path path;
    private ShmDirectory directory;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        Path root = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        path = Files.createTempDirectory(root, "millrace-test-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        directory = ShmDirectory.at(path);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        List<Path> left;
        try (Stream<Path> files = Files.list(path)) {
            left = files.toList();
        }
        deleteRecursively(path);
        if (!left.isEmpty() && context.getExecutionException().isEmpty()) {
            throw new AssertionError("the test left files in its base directory: " + left);
        }
    }

    public ShmDirectory directory() {
        return directory;
    }

    public Path path() {
        return path;
    }

    /** The names of the files in the directory now, sorted. */
    public List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(path)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Removes a region file of this test, for tests that set up files by hand. */
    public void delete(String fileName) throws IOException {
        Files.deleteIfExists(path.resolve(fileName));
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
