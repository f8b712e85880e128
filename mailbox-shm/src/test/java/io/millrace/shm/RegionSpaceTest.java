package io.millrace.shm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A region's space is reserved when it is created: a region that does not fit is refused with {@code NO_SPACE} and
 * leaves no file, and one that was created never faults later for want of space. The tests on a small tmpfs mount
 * one of 2 MiB, which needs root; elsewhere they are skipped.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegionSpaceTest {
    private static final int MIB = 1 << 20;

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    @Test
    void shouldRefuseARegionLargerThanTheFreeSpaceNamingBothAndLeaveNoFile() throws IOException {
        long free = Files.getFileStore(shm.path()).getUsableSpace();
        RegionSpec.Builder builder = RegionSpec.named("huge");
        for (long i = 0; i <= free / RingDescriptor.MAX_CAPACITY; i++) {
            builder.block("b" + i, RingDescriptor.MAX_CAPACITY);
        }
        RegionSpec spec = builder.build();

        assertThatThrownBy(() -> shm.directory().create(spec))
                .isInstanceOfSatisfying(RegionException.class,
                        e -> assertThat(e.reason()).isEqualTo(RegionException.Reason.NO_SPACE))
                .hasMessageContaining("no space for region 'huge' in " + shm.path())
                .hasMessageContaining("needed=" + spec.regionSize() + " bytes, free=");
        assertThat(shm.files()).isEmpty();
    }

    @Test
    void shouldRefuseARegionThatDoesNotFitOnASmallTmpfs() throws IOException {
        try (SmallTmpfs tmpfs = SmallTmpfs.mount(2)) {
            ShmDirectory directory = ShmDirectory.at(tmpfs.path());
            Path filler = tmpfs.path().resolve("filler");
            Files.write(filler, new byte[3 * MIB / 2]);

            RegionSpec spec = RegionSpec.named("big").spscRing("r", MIB).build();

            assertThatThrownBy(() -> directory.create(spec))
                    .isInstanceOfSatisfying(RegionException.class,
                            e -> assertThat(e.reason()).isEqualTo(RegionException.Reason.NO_SPACE))
                    .hasMessageContaining("needed=" + spec.regionSize());
            assertThat(directory.list()).isEmpty();
            Files.delete(filler);
        }
    }

    @Test
    void shouldFillEveryByteOfARingEvenWhenTheFileSystemFillsUpAfterCreation() throws IOException {
        try (SmallTmpfs tmpfs = SmallTmpfs.mount(2)) {
            ShmDirectory directory = ShmDirectory.at(tmpfs.path());
            try (SharedRegion region = directory.create(RegionSpec.named("early").mpscRing("inbox", MIB).build())) {
                long written = fillUp(tmpfs.path().resolve("filler"));
                assertThat(written).as("the region's megabyte is taken before the filler").isLessThan(MIB);

                Ring inbox = region.ring("inbox");
                byte[] payload = new byte[1000];
                int accepted = 0;
                while (inbox.offer(1, payload, 0, payload.length) == OfferStatus.ACCEPTED) {
                    accepted++;
                }
                assertThat(accepted).isEqualTo(MIB / 1008);
                region.unlink();
            }
            Files.delete(tmpfs.path().resolve("filler"));
        }
    }

    @Test
    void shouldReportNoSpaceWhenFallocateOrWritingZerosFails() throws IOException {
        try (SmallTmpfs tmpfs = SmallTmpfs.mount(2)) {
            Path file = tmpfs.path().resolve("r.region");
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                if (FileSpace.FALLOCATE) {
                    assertThatThrownBy(() -> FileSpace.allocate("r", file, 4L * MIB))
                            .isInstanceOfSatisfying(RegionException.class,
                                    e -> assertThat(e.reason()).isEqualTo(RegionException.Reason.NO_SPACE))
                            .hasMessageContaining("needed=" + 4L * MIB);
                }
                assertThatThrownBy(() -> FileSpace.writeZeros("r", file, channel, 4L * MIB))
                        .isInstanceOfSatisfying(RegionException.class,
                                e -> assertThat(e.reason()).isEqualTo(RegionException.Reason.NO_SPACE))
                        .hasMessageContaining("needed=" + 4L * MIB);
            }
            Files.delete(file);
        }
    }

    @Test
    void shouldReserveByWritingZerosWhereFallocateIsNotUsed() throws IOException {
        Path file = shm.path().resolve("zeros.region");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            FileSpace.writeZeros("zeros", file, channel, 3 * MIB + 5);
            assertThat(channel.size()).isEqualTo(3 * MIB + 5);
            ByteBuffer last = ByteBuffer.allocate(5);
            channel.read(last, 3 * MIB);
            assertThat(last.array()).containsOnly(0);
        }
        Files.delete(file);
    }

    /** Writes to {@code file} until the file system is full; returns the bytes written. */
    private static long fillUp(Path file) throws IOException {
        long written = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            while (true) {
                chunk.clear();
                written += channel.write(chunk);
            }
        } catch (IOException full) {
            assertThat(full).hasMessageContaining("No space left");
        }
        return written;
    }

    /** A tmpfs of a few MiB on a fresh directory, unmounted and removed at close; skips the test without root. */
    record SmallTmpfs(Path path) implements AutoCloseable {
        static SmallTmpfs mount(int mebibytes) throws IOException {
            Path path = Files.createTempDirectory("millrace-tmpfs-");
            boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m,mode=0700", "tmpfs",
                    path.toString());
            if (!mounted) {
                Files.delete(path);
            }
            assumeTrue(mounted, "cannot mount a tmpfs here (needs root)");
            return new SmallTmpfs(path);
        }

        @Override
        public void close() throws IOException {
            if (!run("umount", path.toString())) {
                run("umount", "-l", path.toString());
            }
            Files.delete(path);
        }

        private static boolean run(String... command) {
            try {
                Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    return false;
                }
                return process.exitValue() == 0;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
