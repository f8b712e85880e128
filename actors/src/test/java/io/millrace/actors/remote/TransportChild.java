package io.millrace.actors.remote;

import io.millrace.shm.ShmDirectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

/**
 * A child JVM for {@link TransportTest}: attaches to node {@code args[1]} in base directory {@code args[0]} and sends
 * the seeded messages of {@link TransportTest#message} to actor uid {@code i % 5}, then says DONE. With
 * {@code hang-after-first-fragment} as {@code args[3]} it sends the first fragment of a long message and waits to be
 * killed.
 */
public final class TransportChild {
    private TransportChild() {
    }

    public static void main(String[] args) throws Exception {
        ShmDirectory directory = ShmDirectory.at(Path.of(args[0]));
        long node = Long.parseUnsignedLong(args[1], 16);
        int count = Integer.parseInt(args[2]);
        try (NodeRegion peer = NodeRegion.attach(directory, node, Duration.ofSeconds(10))) {
            Outbound out = new Outbound(TransportTest.MAX_MESSAGE);
            if (args.length > 3 && args[3].equals("hang-after-first-fragment")) {
                byte[] longOne = new byte[peer.lane(0).maxMessageLength() * 3];
                peer.lane(0).send(Frames.FRAGMENT_FIRST, firstFragment(longOne.length), Duration.ofSeconds(10));
                System.out.println("HALF-SENT");
                new CountDownLatch(1).await();
            }
            SplittableRandom random = new SplittableRandom(42);
            for (int i = 0; i < count; i++) {
                byte[] message = TransportTest.message(random, peer.lane(0).maxMessageLength());
                if (!out.send(peer.laneOf(i % 5), i % 5, TransportTest.BYTES, message, Duration.ofSeconds(30))) {
                    throw new IllegalStateException("ring full for 30 s at message " + i);
                }
            }
            System.out.println("DONE");
        }
    }

    private static java.lang.foreign.MemorySegment firstFragment(int total) {
        java.lang.foreign.MemorySegment frame = java.lang.foreign.MemorySegment.ofArray(new long[8]);
        frame.set(java.lang.foreign.ValueLayout.JAVA_LONG, 0, ProcessHandle.current().pid() << 32 | 7);
        frame.set(java.lang.foreign.ValueLayout.JAVA_LONG, 8, 1L);
        frame.set(java.lang.foreign.ValueLayout.JAVA_INT, 16, total);
        return frame;
    }
}
