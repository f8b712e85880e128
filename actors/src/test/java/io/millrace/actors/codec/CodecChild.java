package io.millrace.actors.codec;

import io.millrace.actors.codec.Messages.FakeRef;
import io.millrace.shm.Ring;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

/**
 * The other process of {@link CrossProcessCodecTest}: opens the shared type table of a base directory, attaches a
 * ring and writes seeded messages into it with {@code tryClaim} / {@link MessageCodec#write} / {@code commit}.
 * Prints {@code ID name=id} for each class it registered, then {@code SENT n}.
 * Arguments: {@code send} base-directory region ring seed rounds, or {@code claim-and-hang} base-directory name
 * (claims an id for the name, prints {@code CLAIMED id} and waits to be killed before publishing it).
 */
public final class CodecChild {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private CodecChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("claim-and-hang")) {
            try (SharedTypeRegistry types = SharedTypeRegistry.open(ShmDirectory.at(Path.of(args[1])), TIMEOUT)) {
                System.out.println("CLAIMED " + types.claimWithoutPublishing(args[2]));
                Thread.sleep(TIMEOUT.toMillis()); // killed by the test before it wakes
            }
            return;
        }
        send(Arrays.copyOfRange(args, 1, args.length));
    }

    private static void send(String[] args) {
        ShmDirectory directory = ShmDirectory.at(Path.of(args[0]));
        long seed = Long.parseLong(args[3]);
        int rounds = Integer.parseInt(args[4]);
        try (SharedTypeRegistry types = SharedTypeRegistry.open(directory, TIMEOUT);
             SharedRegion region = directory.attach(args[1], TIMEOUT)) {
            Ring ring = region.ring(args[2]);
            MessageCodec codec = new MessageCodec(types).resolver(FakeRef::new);
            Random random = new Random(seed);
            int sent = 0;
            for (int round = 0; round < rounds; round++) {
                for (String kind : Messages.KINDS) {
                    Object message = Messages.sample(kind, random);
                    int length = codec.sizeOf(message);
                    long deadline = System.nanoTime() + TIMEOUT.toNanos();
                    long index;
                    while ((index = ring.tryClaim(1, length)) < 0) {
                        if (System.nanoTime() - deadline > 0) {
                            throw new IllegalStateException("ring stayed full for " + TIMEOUT);
                        }
                        Thread.onSpinWait();
                    }
                    try {
                        codec.write(message, ring.buffer(), index, length);
                        ring.commit(index);
                    } catch (RuntimeException e) {
                        ring.abort(index);
                        throw e;
                    }
                    sent++;
                }
            }
            for (String name : new String[]{Messages.Point.class.getName(), Messages.Order.class.getName(),
                    Messages.Circle.class.getName(), Messages.Color.class.getName()}) {
                System.out.println("ID " + name + "=" + types.idOf(name));
            }
            System.out.println("SENT " + sent);
        }
    }
}
