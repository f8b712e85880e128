package io.millrace.examples;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import io.millrace.shm.RegionSpec;

/**
 * What the demo's two processes agree on: the region's structures, the message mix and the checksum.
 *
 * <p>The producer ({@link DemoProducer}, a child JVM) sends {@code messages} records of 16 to 1,024 bytes, their
 * lengths and contents drawn from a seeded {@link SplittableRandom}: each payload is a slice of a pool of seeded
 * random bytes. It folds every payload it sends into a running {@link #checksum(long, MemorySegment, long, int)}
 * and, once done, stores the checksum and the count in the region's atomics. The consumer ({@link DemoCommand},
 * the parent) folds every payload it receives into its own running checksum; one MPSC ring with one producer
 * keeps the order, so the two agree exactly when every message arrived once, whole and in order.
 */
final class DemoStream {
    /** The ring the producer writes and the parent drains. */
    static final String RING = "stream";
    /** Count of messages the producer sent, written once it is done. */
    static final String SENT = "sent";
    /** Checksum of everything the producer sent, written before {@link #SENT}. */
    static final String CHECKSUM = "checksum";
    /** Ring data capacity: room for about 2,000 average messages, so either side may lag without stalling. */
    static final int RING_CAPACITY = 1 << 20;
    /** The record type of a demo message. */
    static final int TYPE = 1;

    static final int MIN_LENGTH = 16;
    static final int MAX_LENGTH = 1024;

    private static final int POOL_BYTES = 1 << 20;
    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME_5 = 0x27D4EB2F165667C5L;
    private static final int STRIPE = 4 * Long.BYTES;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    private DemoStream() {
    }

    /** The demo region: one MPSC ring and the two atomics the producer reports through. */
    static RegionSpec region(String name) {
        return RegionSpec.named(name).mpscRing(RING, RING_CAPACITY).atomicLong(SENT).atomicLong(CHECKSUM).build();
    }

    /** The seed of the checksum, before any message. */
    static long checksumSeed() {
        return PRIME_1;
    }

    /**
     * Folds one message into the running checksum {@code sum}, in the manner of xxHash64 seeded with {@code sum}:
     * four lanes take 32-byte stripes (so the multiplications overlap), then single words, then the last 0 to 7
     * bytes as one word, then the length. Order-sensitive; not cryptographic.
     */
    static long checksum(long sum, MemorySegment segment, long offset, int length) {
        int i = 0;
        long hash;
        if (length >= STRIPE) {
            long lane1 = sum + PRIME_1 + PRIME_2;
            long lane2 = sum + PRIME_2;
            long lane3 = sum;
            long lane4 = sum - PRIME_1;
            for (; i <= length - STRIPE; i += STRIPE) {
                lane1 = round(lane1, segment.get(WORD, offset + i));
                lane2 = round(lane2, segment.get(WORD, offset + i + 8));
                lane3 = round(lane3, segment.get(WORD, offset + i + 16));
                lane4 = round(lane4, segment.get(WORD, offset + i + 24));
            }
            hash = Long.rotateLeft(lane1, 1) + Long.rotateLeft(lane2, 7) + Long.rotateLeft(lane3, 12)
                    + Long.rotateLeft(lane4, 18);
        } else {
            hash = sum + PRIME_5;
        }
        for (; i <= length - Long.BYTES; i += Long.BYTES) {
            hash = round(hash, segment.get(WORD, offset + i));
        }
        if (i < length) {
            long last = 0;
            for (int shift = 0; i < length; i++, shift += Byte.SIZE) {
                last |= (segment.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFFL) << shift;
            }
            hash = round(hash, last);
        }
        return round(hash, length);
    }

    private static long round(long accumulator, long lane) {
        return Long.rotateLeft(accumulator + lane * PRIME_2, 31) * PRIME_1;
    }

    /** The producer's source of messages: lengths and pool offsets from the seed, bytes from the pool. */
    static final class Source implements AutoCloseable {
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment pool = arena.allocate(POOL_BYTES, Long.BYTES);
        private final SplittableRandom random;
        private int length;
        private long offset;

        Source(long seed) {
            SplittableRandom filler = new SplittableRandom(seed);
            for (long at = 0; at < POOL_BYTES; at += Long.BYTES) {
                pool.set(ValueLayout.JAVA_LONG, at, filler.nextLong());
            }
            this.random = filler.split();
        }

        /** Draws the next message: then {@link #length()} bytes of {@link #pool()} at {@link #offset()}. */
        void next() {
            length = random.nextInt(MIN_LENGTH, MAX_LENGTH + 1);
            offset = random.nextInt(POOL_BYTES - MAX_LENGTH + 1);
        }

        int length() {
            return length;
        }

        long offset() {
            return offset;
        }

        MemorySegment pool() {
            return pool;
        }

        @Override
        public void close() {
            arena.close();
        }
    }
}
