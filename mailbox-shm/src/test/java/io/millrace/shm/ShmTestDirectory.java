package io.millrace.shm;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

    /**
     * Writes the file {@code ShmDirectory.create} leaves when its process dies laying out region {@code name}: a
     * page, the magic and the creator written, never marked ready (no crash point in {@code create} stops a child
     * there, so tests make the file as it would be left).
     *
     * @param creatorPid       the recorded creator (0: not written yet)
     * @param creatorStartTime its start time (0: not written)
     * @return the file written
     */
    public Path writeUnreadyRegion(String name, long creatorPid, long creatorStartTime) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
        header.putLong((int) RegionDescriptor.MAGIC_OFFSET, RegionDescriptor.MAGIC);
        header.putLong((int) RegionDescriptor.CREATOR_PID_OFFSET, creatorPid);
        header.putLong((int) RegionDescriptor.CREATOR_START_TIME_OFFSET, creatorStartTime);
        Path file = directory.file(name);
        Files.write(file, header.array());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
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
