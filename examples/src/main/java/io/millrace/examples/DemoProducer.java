package io.millrace.examples;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;

import io.millrace.shm.OfferStatus;
import io.millrace.shm.PeerGoneException;
import io.millrace.shm.Ring;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;
import io.millrace.shm.ShmException;
import io.millrace.shm.WaitStrategy;

/**
 * The child JVM of {@code millrace demo}: attaches to the region the parent created, sends the seeded messages
 * of {@link DemoStream} through its ring, then reports the checksum and count of what it sent in the region's
 * atomics and detaches.
 *
 * <p>Usage: {@code DemoProducer <base-dir> <region> <messages> <seed>}. Exit codes: 0 sent everything, 1 the
 * parent went away or the region failed, 2 bad arguments.
 */
public final class DemoProducer {
    private static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(10);
    /** How long one blocking send waits on a full ring before it tries again (it notices a dead parent sooner). */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(1);

    private DemoProducer() {
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: DemoProducer <base-dir> <region> <messages> <seed>");
            System.exit(2);
        }
        long messages;
        long seed;
        try {
            messages = Long.parseLong(args[2]);
            seed = Long.parseLong(args[3]);
        } catch (NumberFormatException e) {
            System.err.println("DemoProducer: messages and seed must be integers: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            run(ShmDirectory.at(Path.of(args[0])), args[1], messages, seed);
        } catch (PeerGoneException e) {
            System.err.println("millrace demo producer: stopping, the parent is gone: " + e.getMessage());
            System.exit(1);
        } catch (ShmException e) {
            System.err.println("millrace demo producer: " + e.getMessage());
            System.exit(1);
        }
    }

    static void run(ShmDirectory directory, String regionName, long messages, long seed) {
        try (SharedRegion region = directory.attach(regionName, ATTACH_TIMEOUT);
             DemoStream.Source source = new DemoStream.Source(seed)) {
            Ring ring = region.ring(DemoStream.RING).waitStrategy(WaitStrategy.yielding());
            long checksum = DemoStream.checksumSeed();
            for (long sent = 0; sent < messages; sent++) {
                source.next();
                int length = source.length();
                long offset = source.offset();
                long index = ring.tryClaim(DemoStream.TYPE, length);
                if (index >= 0) {
                    MemorySegment.copy(source.pool(), offset, ring.buffer(), index, length);
                    ring.commit(index);
                } else {
                    // Full: wait for space (spin, then yield); send throws PeerGoneException if the parent died.
                    while (ring.send(DemoStream.TYPE, source.pool().asSlice(offset, length), SEND_TIMEOUT)
                            != OfferStatus.ACCEPTED) {
                        Thread.onSpinWait();
                    }
                }
                checksum = DemoStream.checksum(checksum, source.pool(), offset, length);
            }
            region.atomicLong(DemoStream.CHECKSUM).set(checksum);
            region.atomicLong(DemoStream.SENT).set(messages);
        }
    }
}
