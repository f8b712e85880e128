package io.millrace.shm;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The other process of {@link CloseUnderClaimCrossProcessTest}: in base directory {@code args[0]}, attaches to region
 * {@code args[1]} as a producer of its MPSC ring {@code r}, holds its claim window (a claim under way, as a thread
 * that zeroes or claims holds it), closes the region on another thread and prints {@code CLOSING <participant ref>}.
 * Once the test sets atomic {@code release} of region {@code args[2]} to 1 it ends the claim, lets the close finish
 * and prints {@code RELEASED <ms from the close's start to the release> <whether the close had returned before>}.
 */
public final class ClosingClaimChild {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ClosingClaimChild() {
    }

    public static void main(String[] args) throws Exception {
        ShmDirectory directory = ShmDirectory.at(Path.of(args[0]));
        try (SharedRegion signals = directory.attach(args[2], TIMEOUT)) {
            SharedRegion region = directory.attach(args[1], TIMEOUT);
            Ring ring = region.ring("r");
            if (ring.offer(1, new byte[8], 0, 8) != OfferStatus.ACCEPTED) { // a producer of the ring from now on
                System.exit(2);
            }
            long window = ring.header().producers.announceOffset(region.slot());
            if (!ring.header().casWindowIdle(window)) {
                System.exit(3);
            }
            long ref = region.participantRef();
            long began = System.nanoTime();
            Thread closer = Thread.ofPlatform().start(region::close);
            System.out.println("CLOSING " + ref);
            SharedAtomicInt release = signals.atomicInt("release");
            while (release.getAcquire() == 0) {
                if (System.nanoTime() - began - TIMEOUT.toNanos() > 0) {
                    System.exit(4);
                }
                release.awaitChange(0, 100_000_000L);
            }
            long heldMillis = (System.nanoTime() - began) / 1_000_000;
            boolean closedBefore = !closer.isAlive();
            ring.header().releaseWindow(window);
            if (!closer.join(TIMEOUT)) {
                System.exit(5);
            }
            System.out.println("RELEASED " + heldMillis + " " + closedBefore);
        }
    }
}
