package io.millrace.reactive;

import io.millrace.shm.ShmDirectory;

import java.time.Duration;
import java.util.Objects;

/**
 * How a stream is imported: the base directory it is published in, how long a subscription waits for the name to
 * be published, how many elements it keeps in flight (the prefetch: credit is replenished when 75 % of it is
 * used, as {@code limitRate}), and the data ring's capacity (records longer than an eighth of it go in fragments).
 *
 * @param directory        the base directory shared with the publisher
 * @param timeout          how long each subscription waits for the stream to be published; zero: not at all
 * @param prefetch         elements in flight at most, 1 to 2^20
 * @param dataRingCapacity bytes of the data ring, a power of two from 4 KiB to 64 MiB
 */
public record StreamOptions(ShmDirectory directory, Duration timeout, int prefetch, int dataRingCapacity) {
    /** Reactor's default prefetch (as {@code Queues.SMALL_BUFFER_SIZE}). */
    public static final int DEFAULT_PREFETCH = 256;
    /** 256 KiB: elements up to 32 KiB - 8 bytes are one record. */
    public static final int DEFAULT_DATA_RING_CAPACITY = StreamDescriptor.DATA_CAPACITY;

    /**
     * @throws IllegalArgumentException naming the value that is out of range
     */
    public StreamOptions {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout=" + timeout + " must not be negative");
        }
        if (prefetch < 1 || prefetch > 1 << 20) {
            throw new IllegalArgumentException("prefetch=" + prefetch + " must be between 1 and " + (1 << 20));
        }
        if (dataRingCapacity < 4096 || dataRingCapacity > 64 << 20 || Integer.bitCount(dataRingCapacity) != 1) {
            throw new IllegalArgumentException("dataRingCapacity=" + dataRingCapacity
                    + " must be a power of two from 4096 to " + (64 << 20));
        }
    }

    /** @return options for {@code directory}: no waiting, prefetch 256, a 256 KiB data ring */
    public static StreamOptions of(ShmDirectory directory) {
        return new StreamOptions(directory, Duration.ZERO, DEFAULT_PREFETCH, DEFAULT_DATA_RING_CAPACITY);
    }

    /** @return {@link #of} the {@link ShmDirectory#defaultDirectory()} */
    public static StreamOptions defaults() {
        return of(ShmDirectory.defaultDirectory());
    }

    /** @return these options waiting up to {@code value} for the stream to be published */
    public StreamOptions withTimeout(Duration value) {
        return new StreamOptions(directory, value, prefetch, dataRingCapacity);
    }

    /** @return these options with a prefetch of {@code value} elements */
    public StreamOptions withPrefetch(int value) {
        return new StreamOptions(directory, timeout, value, dataRingCapacity);
    }

    /** @return these options with a data ring of {@code value} bytes */
    public StreamOptions withDataRingCapacity(int value) {
        return new StreamOptions(directory, timeout, prefetch, value);
    }
}
