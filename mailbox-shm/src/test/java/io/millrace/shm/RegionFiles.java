package io.millrace.shm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A valid region with records in its rings, for tests that damage region files on purpose, and the offsets of its
 * fields. {@link #SPEC}'s structures are, in directory order: an SPSC ring, an MPSC ring, an atomic long, an atomic
 * int and a block. Public for the tests of other modules: {@link #createCorrupt}.
 */
public final class RegionFiles {
    static final int PARTICIPANTS = 4;
    static final int SPSC = 0;
    static final int MPSC = 1;
    static final int ATOMIC_LONG = 2;
    static final int ATOMIC_INT = 3;
    static final int BLOCK = 4;

    static RegionSpec spec(String name) {
        return RegionSpec.named(name).participants(PARTICIPANTS).spscRing("spsc", 4096).mpscRing("mpsc", 4096)
                .atomicLong("count").atomicInt("flag").block("table", 300).build();
    }

    private RegionFiles() {
    }

    /**
     * Creates region {@code name} in {@code directory} with records delivered and pending in both rings (the SPSC
     * ring wrapped once), values in its atomics and block, and closes it; returns its file.
     */
    static Path createUsed(ShmDirectory directory, String name) {
        try (SharedRegion region = directory.create(spec(name))) {
            for (String ring : new String[] {"spsc", "mpsc"}) {
                Ring handle = region.ring(ring);
                int rounds = ring.equals("spsc") ? 60 : 10;
                for (int i = 0; i < rounds; i++) {
                    byte[] payload = new byte[40 + i % 50];
                    payload[0] = (byte) i;
                    if (handle.offer(1 + i % 7, payload, 0, payload.length) != OfferStatus.ACCEPTED) {
                        throw new AssertionError("ring " + ring + " full at " + i);
                    }
                    if (i % 3 != 2) {
                        handle.poll((type, buffer, offset, length) -> { }, 1);
                    }
                }
            }
            region.atomicLong("count").set(42);
            region.atomicInt("flag").set(7);
            region.block("table").fill((byte) 0x5A);
            return region.path();
        }
    }

    /**
     * Creates region {@code name} and damages it as a stray write could: its directory count runs past the file.
     * Attach and inspect refuse it with {@code CORRUPT}; returns its file.
     */
    public static Path createCorrupt(ShmDirectory directory, String name) {
        Path file = createUsed(directory, name);
        edit(file, s -> s.set(ValueLayout.JAVA_INT, RegionDescriptor.DIRECTORY_COUNT_OFFSET, 100_000));
        return file;
    }

    /** Where directory entry {@code index} starts. */
    static long entry(int index) {
        return RegionDescriptor.entryOffset(PARTICIPANTS, index);
    }

    /** Where structure {@code index} starts, as the directory of {@code file} says. */
    static long structure(MemorySegment file, int index) {
        return file.get(ValueLayout.JAVA_LONG, entry(index) + RegionDescriptor.ENTRY_OFFSET_OFFSET);
    }

    /** Maps {@code file} read-write and lets {@code edit} change it. */
    static void edit(Path file, Consumer<MemorySegment> edit) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             Arena arena = Arena.ofConfined()) {
            edit.accept(channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size(), arena));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes {@code bytes} as region file {@code file}, owner-only as Millrace wants it. */
    static void write(Path file, byte[] bytes) {
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                "rw-------")))) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Attaches to {@code name} without waiting and closes it at once. */
    static void attachAndClose(ShmDirectory directory, String name) {
        directory.attach(name, Duration.ZERO).close();
    }
}
