package io.millrace.perf.bench;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Memory-mapped files through FFM, for the harness's own probes and for peers that need a file. */
public final class Mapped {

    /** Bytes of buffer every ring-like channel gets (rings, the SPSC probe's slots, Python's queue bound). */
    public static final int RING_BYTES = 4 << 20;

    private Mapped() {
    }

    /** Creates a zero-filled file of {@code bytes} (it must not exist) and maps it shared for the arena's life. */
    public static MemorySegment create(Path file, long bytes, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.position(bytes - 1);
            ch.write(java.nio.ByteBuffer.wrap(new byte[1]));
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, bytes, arena);
        }
    }

    /** Maps an existing file, all of it, shared for the arena's life. */
    public static MemorySegment attach(Path file, Arena arena) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            return ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size(), arena);
        }
    }

    /** The largest power of two of {@code size}-byte slots that fits {@link #RING_BYTES}, at least 2. */
    public static int slotCount(int size) {
        int fit = Math.max(2, RING_BYTES / size);
        return Integer.highestOneBit(fit);
    }
}
