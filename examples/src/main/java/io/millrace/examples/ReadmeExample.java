package io.millrace.examples;

import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.millrace.shm.OfferStatus;
import io.millrace.shm.PeerGoneException;
import io.millrace.shm.RecordHandler;
import io.millrace.shm.RegionSpec;
import io.millrace.shm.Ring;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;

/**
 * The code of the README's "Using it" section, compiled and run ({@code ReadmeExampleTest} runs it, and checks that
 * every line of the README's sample is here, in the same order). Process A creates region {@code orders} and reads
 * its ring until the producers leave; process B attaches and sends.
 *
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED -cp ... io.millrace.examples.ReadmeExample a   # process A
 *   java --enable-native-access=ALL-UNNAMED -cp ... io.millrace.examples.ReadmeExample b   # process B, as many as you like
 * </pre>
 *
 * Without an argument it runs both, B on a thread of its own.
 */
public final class ReadmeExample {
    private ReadmeExample() {
    }

    /**
     * Runs process A ({@code a}), process B ({@code b}) or both (no argument) on the default base directory.
     *
     * @param args {@code a}, {@code b} or nothing
     * @throws InterruptedException if interrupted while both run
     */
    public static void main(String[] args) throws InterruptedException {
        ShmDirectory dir = ShmDirectory.defaultDirectory();           // /dev/shm/millrace-$USER, or -Dmillrace.dir / MILLRACE_DIR
        byte[] payload = "an order".getBytes(StandardCharsets.US_ASCII);
        List<byte[]> messages = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            messages.add(("message " + i).getBytes(StandardCharsets.US_ASCII));
        }
        String role = args.length == 0 ? "both" : args[0];
        switch (role) {
            case "a" -> System.out.println(processA(dir));
            case "b" -> {
                processB(dir, payload, messages);
                System.out.println("B sent " + (2 + messages.size()) + " records");
            }
            case "both" -> {
                Thread b = Thread.ofPlatform().start(() -> processB(dir, payload, messages));
                System.out.println(processA(dir));
                b.join();
            }
            default -> throw new IllegalArgumentException("role=" + role + ": expected a, b or nothing");
        }
    }

    /** Process A: creates the region, reads until every producer has left, removes the region; says what came. */
    static String processA(ShmDirectory dir) {
        // process A: create a region with a multi-producer ring and a shared counter, then read until producers leave
        try (SharedRegion region = dir.create(RegionSpec.named("orders").mpscRing("inbox", 1 << 20).atomicLong("seen").build())) {
            Ring inbox = region.ring("inbox");
            long[] bytes = {0};
            RecordHandler handler = (type, buffer, offset, length) -> bytes[0] += length; // read the payload in place
            try {
                while (inbox.receive(handler, 256, Duration.ofSeconds(1)) != Ring.END_OF_STREAM) {
                    // 0 after a quiet second; END_OF_STREAM once every producer that joined has left and the ring is drained
                }
            } catch (PeerGoneException e) {
                // a producer died (killed, crashed) instead of leaving: what it left half-written was skipped
            }
            region.unlink();                                          // the file goes; mappings stay valid until closed
            return "A received " + bytes[0] + " bytes, seen=" + region.atomicLong("seen").get();
        }
    }

    /** Process B: attaches to the region and sends a record, a zero-copy claim and a batch of small ones. */
    static void processB(ShmDirectory dir, byte[] payload, List<byte[]> messages) {
        // process B (any number of them): attach and send
        try (SharedRegion region = dir.attach("orders", Duration.ofSeconds(5))) {
            Ring inbox = region.ring("inbox");
            if (inbox.offer(1, payload, 0, payload.length) == OfferStatus.BACK_PRESSURED) { /* your policy */ }
            long at = inbox.tryClaim(2, 64);                          // zero-copy: write into inbox.buffer() at `at`
            if (at >= 0) { inbox.buffer().set(ValueLayout.JAVA_LONG, at, 42L); inbox.commit(at); }
            region.atomicLong("seen").incrementAndGet();              // atomic across every process that maps the region

            Ring.Batch batch = inbox.batch(64);                       // a stream of small messages: publish 64 at a time
            for (byte[] m : messages) {
                while (batch.offer(1, m, 0, m.length) != OfferStatus.ACCEPTED) { Thread.onSpinWait(); }
            }
            batch.flush();                                            // the rest: unflushed records are never delivered
        }
    }
}
