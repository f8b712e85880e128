package io.millrace.shm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reserves the blocks of a new region file before it is mapped. A mapping of a sparse file takes its pages when they
 * are first written: on a full file system (a small tmpfs such as Docker's default 64 MiB {@code /dev/shm}) that
 * write faults, and the JVM raises an {@code InternalError} in the middle of an {@code offer}, after {@code tail}
 * moved. Reserving at creation turns that into a {@link RegionException} of reason {@code NO_SPACE} from
 * {@code create}, naming the bytes needed and free.
 *
 * <p>The space is reserved with {@code posix_fallocate(3)}, called through the FFM API; where it cannot be called
 * (not Linux, native access denied, {@code -Dmillrace.fallocate.disable=true}) or the file system does not support
 * it, by writing zeros.
 */
final class FileSpace {
    private static final int O_WRONLY = 1;
    private static final int O_CLOEXEC = 0x80000;
    private static final int EFBIG = 27;
    private static final int ENOSPC = 28;
    private static final int ZERO_CHUNK = 1 << 20;

    private static final MethodHandle OPEN;
    private static final MethodHandle POSIX_FALLOCATE;
    private static final MethodHandle CLOSE;
    /** True when {@code posix_fallocate} can be called. */
    static final boolean FALLOCATE;

    static {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        MethodHandle open = null;
        MethodHandle fallocate = null;
        MethodHandle close = null;
        if (os.contains("linux") && !Boolean.getBoolean("millrace.fallocate.disable")) {
            try {
                Linker linker = Linker.nativeLinker();
                var lookup = linker.defaultLookup();
                open = lookup.find("open").map(symbol -> linker.downcallHandle(symbol,
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2))).orElse(null);
                fallocate = lookup.find("posix_fallocate").map(symbol -> linker.downcallHandle(symbol,
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_LONG))).orElse(null);
                close = lookup.find("close").map(symbol -> linker.downcallHandle(symbol,
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT))).orElse(null);
            } catch (RuntimeException e) {
                open = null; // e.g. native access denied: write zeros instead
            }
        }
        boolean all = open != null && fallocate != null && close != null;
        OPEN = all ? open : null;
        POSIX_FALLOCATE = all ? fallocate : null;
        CLOSE = all ? close : null;
        FALLOCATE = all;
    }

    private FileSpace() {
    }

    /**
     * Makes the new, empty region file {@code file} (open as {@code channel}) {@code size} bytes long with every block
     * allocated; throws {@code NO_SPACE} when the file system has too little room, {@code IO} on another failure.
     * The caller removes the file when this throws.
     */
    static void reserve(String region, Path file, FileChannel channel, long size) {
        long free = usableSpace(file);
        if (free >= 0 && size > free) {
            throw noSpace(region, file, size, free);
        }
        if (FALLOCATE && allocate(region, file, size)) {
            return;
        }
        writeZeros(region, file, channel, size);
    }

    /**
     * Reserves with {@code posix_fallocate}; false when the file system does not support it (the caller writes
     * zeros).
     */
    static boolean allocate(String region, Path file, long size) {
        int error;
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) OPEN.invokeExact(arena.allocateFrom(file.toString()), O_WRONLY | O_CLOEXEC, 0);
            if (fd < 0) {
                return false; // the channel has it open: let the zeros go through the channel
            }
            try {
                error = (int) POSIX_FALLOCATE.invokeExact(fd, 0L, size);
            } finally {
                int ignored = (int) CLOSE.invokeExact(fd);
            }
        } catch (Throwable e) {
            return false;
        }
        if (error == ENOSPC || error == EFBIG) {
            throw noSpace(region, file, size, usableSpace(file));
        }
        return error == 0;
    }

    /** Reserves by writing {@code size} zero bytes through {@code channel}. */
    static void writeZeros(String region, Path file, FileChannel channel, long size) {
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZERO_CHUNK, Math.max(size, 1)));
        long position = 0;
        try {
            while (position < size) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - position));
                position += channel.write(zeros, position);
            }
        } catch (IOException e) {
            long free = usableSpace(file);
            if (String.valueOf(e.getMessage()).contains("No space left") || free >= 0 && size - position > free) {
                throw noSpace(region, file, size, free);
            }
            throw new RegionException(RegionException.Reason.IO, "cannot size region file " + file + " to "
                    + size + " bytes: " + e, e);
        }
    }

    /** Bytes free for this user on the file system of {@code file}, or -1 when unknown. */
    static long usableSpace(Path file) {
        try {
            return Files.getFileStore(file).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static RegionException noSpace(String region, Path file, long needed, long free) {
        return new RegionException(RegionException.Reason.NO_SPACE, "no space for region '" + region + "' in "
                + file.getParent() + ": needed=" + needed + " bytes, free=" + (free < 0 ? "unknown" : free)
                + " bytes; free some (`millrace clean`), give the file system more (Docker: --shm-size) or ask for"
                + " smaller rings");
    }
}
