package io.millrace.shm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

/**
 * The other process in cross-process tests: attaches to a region in a given base directory and plays one role.
 * It prints {@code READY} once attached, and other progress lines the test awaits. Exit code 0 means its role
 * completed; anything else is a failure the test reports with the child's output.
 */
public final class RingChild {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private RingChild() {
    }

    /** Payload of message {@code seq} of producer {@code id}: id, seq, then a pattern derived from both. */
    static int writeMessage(byte[] payload, int id, long seq, int length) {
        MemorySegment view = MemorySegment.ofArray(payload);
        view.set(ValueLayout.JAVA_INT_UNALIGNED, 0, id);
        view.set(ValueLayout.JAVA_LONG_UNALIGNED, 4, seq);
        for (int j = 12; j < length; j++) {
            payload[j] = pattern(id, seq, j);
        }
        return length;
    }

    static byte pattern(int id, long seq, int j) {
        return (byte) (id * 131 + seq * 31 + j);
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        ShmDirectory directory = ShmDirectory.at(Path.of(args[1]));
        try (SharedRegion region = directory.attach(args[2], TIMEOUT)) {
            System.out.println("READY " + ProcessHandle.current().pid());
            switch (mode) {
                case "produce" -> produce(region.ring(args[3]), Integer.parseInt(args[4]), Long.parseLong(args[5]),
                        Long.parseLong(args[6]), Integer.parseInt(args[7]), false);
                case "produce-forever" -> produce(region.ring(args[3]), Integer.parseInt(args[4]), Long.MAX_VALUE,
                        Long.parseLong(args[5]), Integer.parseInt(args[6]), false);
                case "produce-then-hang" -> produce(region.ring(args[3]), Integer.parseInt(args[4]),
                        Long.parseLong(args[5]), 1, 64, true);
                case "claim-and-hang" -> {
                    Ring ring = region.ring(args[3]);
                    long index = ring.tryClaim(77, 64);
                    ring.buffer().asSlice(index, 32).fill((byte) 0x5A); // half-written
                    System.out.println("CLAIMED " + index);
                    hang();
                }
                case "claim-and-close" -> {
                    Ring ring = region.ring(args[3]);
                    long index = ring.tryClaim(77, 64);
                    ring.buffer().asSlice(index, 32).fill((byte) 0x5A); // half-written, then the region closes
                    Ring.Batch batch = ring.batch(Integer.MAX_VALUE);
                    byte[] payload = new byte[64];
                    for (int seq = 0; seq < 3; seq++) {
                        batch.offer(1, payload, 0, writeMessage(payload, 0, seq, 64));
                    }
                    System.out.println("CLAIMED " + index + " BATCHED " + batch.pending());
                }
                case "join-send-leave" -> {
                    Ring ring = region.ring(args[3]);
                    if (!ring.joinAsProducer()) {
                        System.exit(2);
                    }
                    System.out.println("JOINED");
                    produce(ring, 0, Long.parseLong(args[4]), 1, 64, false);
                    ring.leaveAsProducer();
                    System.out.println("LEFT");
                    hang();
                }
                case "join-and-hang" -> {
                    if (!region.ring(args[3]).joinAsProducer()) {
                        System.exit(2);
                    }
                    System.out.println("JOINED");
                    hang();
                }
                case "die-in-window" -> {
                    // an MPSC producer killed between its tail compare-and-set and its claimed-header store
                    Ring ring = region.ring(args[3]);
                    produce(ring, 0, Long.parseLong(args[4]), 1, 64, false);
                    long at = ring.header().producers.announceOffset(region.slot());
                    long tail = ring.header().tailAcquire();
                    ring.header().announceClaim(at, ring.header().producers.announceEndOffset(region.slot()), tail,
                            tail + 72);
                    if (!ring.header().casTail(tail, tail + 72)) {
                        System.exit(4);
                    }
                    System.out.println("DYING");
                    hang();
                }
                case "batch-and-hang" -> {
                    Ring ring = region.ring(args[3]);
                    Ring.Batch batch = stageBatch(ring, Integer.parseInt(args[4]));
                    // as if killed while copying the last record in: its second half not written yet
                    int recordLength = RecordDescriptor.alignedLength(64 + RecordDescriptor.HEADER_LENGTH);
                    long last = (ring.stats().tail() - recordLength) & (ring.capacity() - 1);
                    ring.buffer().asSlice(last + RecordDescriptor.HEADER_LENGTH + 32, 32).fill((byte) 0x5A);
                    System.out.println("BATCHED " + batch.pending());
                    hang();
                }
                case "die-mid-flush" -> {
                    // as if killed in the flush of a whole batch, after its first steps: the first record's header
                    // says the flush has begun, and the given number of the records after it are committed
                    Ring.Batch batch = stageBatch(region.ring(args[3]), Integer.parseInt(args[4]));
                    batch.markFlushing();
                    for (int i = 1; i <= Integer.parseInt(args[5]); i++) {
                        batch.commitMember(i);
                    }
                    System.out.println("FLUSHING " + batch.pending());
                    hang();
                }
                case "die-mid-offer" -> {
                    dieMidOffer(region.ring(args[3]), args[4], Integer.parseInt(args[5]));
                    System.out.println("DYING");
                    hang();
                }
                case "hold-cleaner-and-hang" -> {
                    // an MPSC producer killed while zeroing ahead of the claims: it holds the ring's cleaner word
                    Ring ring = region.ring(args[3]);
                    if (!ring.joinAsProducer() || !ring.header().casCleaner(0, region.ref())) {
                        System.exit(4);
                    }
                    System.out.println("CLEANING");
                    hang();
                }
                case "consume-and-hang" -> {
                    region.ring(args[3]).poll((t, b, o, l) -> { }, 1);
                    System.out.println("CONSUMING");
                    hang();
                }
                case "die-mid-release" -> {
                    // a consumer killed while zeroing a batch of the ring's first 128 bytes: releasing stored, 96
                    // bytes zeroed, head not stored yet
                    Ring ring = region.ring(args[3]);
                    ring.consumer().registerConsumer();
                    ring.header().putReleasing(128);
                    ring.buffer().asSlice(0, 96).fill((byte) 0);
                    System.out.println("DYING");
                    hang();
                }
                case "publish-one" -> {
                    byte[] wake = "wake".getBytes();
                    if (region.ring(args[3]).send(3, wake, 0, wake.length, TIMEOUT) != OfferStatus.ACCEPTED) {
                        System.exit(2);
                    }
                }
                case "receive-one" -> {
                    Ring ring = region.ring(args[3]).waitStrategy(WaitStrategy.blocking());
                    System.out.println("WAITING " + ring.waitStrategy());
                    ring.receive((t, b, o, l) -> System.out.println("RECEIVED "
                            + new String(b.asSlice(o, l).toArray(ValueLayout.JAVA_BYTE))), 1, TIMEOUT);
                }
                case "increment" -> increment(region, Integer.parseInt(args[3]));
                case "hang" -> hang();
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            }
        }
        System.out.println("DONE");
    }

    /** Offers {@code records} messages of producer 0 (64 bytes each) through a batch it does not flush. */
    private static Ring.Batch stageBatch(Ring ring, int records) {
        Ring.Batch batch = ring.batch(Integer.MAX_VALUE);
        byte[] payload = new byte[64];
        for (int seq = 0; seq < records; seq++) {
            if (batch.offer(1, payload, 0, writeMessage(payload, 0, seq, 64)) != OfferStatus.ACCEPTED) {
                System.exit(3);
            }
        }
        return batch;
    }

    private static void produce(Ring ring, int id, long count, long seed, int maxLength, boolean hangAfter) {
        ring.waitStrategy(WaitStrategy.yielding());
        Random random = new Random(seed);
        byte[] payload = new byte[Math.max(12, maxLength)];
        for (long seq = 0; seq < count; seq++) {
            int length = writeMessage(payload, id, seq, 12 + random.nextInt(maxLength - 12 + 1));
            if (ring.send(1, payload, 0, length, TIMEOUT) != OfferStatus.ACCEPTED) {
                System.out.println("TIMEOUT at " + seq);
                System.exit(3);
            }
            if (seq == 0) {
                System.out.println("PRODUCING"); // registered as a producer of the ring now
            }
            if (seq == 999) {
                System.out.println("SENT 1000");
            }
        }
        System.out.println("SENT ALL " + count);
        if (hangAfter) {
            hang();
        }
    }

    /**
     * Sends messages of producer {@code id}, then leaves what an SPSC offer of a 200-byte message leaves when its
     * process is killed after the claim (the {@code tail} store): at stage {@code copying}, half its payload under a
     * zero header; at {@code wrapped}, a claim that wraps, with no padding header yet and half the payload at 0; at
     * {@code padded}, the same after the padding header. It sends 10 messages of 200 bytes, or for the wrapping
     * stages 8 of about 8 KiB that end 184 bytes before the end of a 64 KiB ring and waits for the consumer to take
     * them.
     */
    private static void dieMidOffer(Ring ring, String stage, int id) {
        boolean wraps = !stage.equals("copying");
        int messages = wraps ? 8 : 10;
        byte[] payload = new byte[ring.maxMessageLength()];
        for (int seq = 0; seq < messages; seq++) {
            int length = !wraps ? 200 : seq < 7 ? ring.maxMessageLength() : 8000;
            if (ring.send(1, payload, 0, writeMessage(payload, id, seq, length), TIMEOUT) != OfferStatus.ACCEPTED) {
                System.exit(3);
            }
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (wraps && ring.stats().head() != ring.stats().tail()) { // room for the claim
            if (System.nanoTime() - deadline > 0) {
                System.exit(4);
            }
            LockSupport.parkNanos(1_000_000L);
        }
        long tail = ring.stats().tail();
        int index = (int) (tail & (ring.capacity() - 1));
        int recordLength = RecordDescriptor.alignedLength(200 + RecordDescriptor.HEADER_LENGTH);
        int padding = wraps ? ring.capacity() - index : 0;
        if (wraps != padding > 0 || padding >= recordLength) {
            throw new IllegalStateException("stage " + stage + " at index " + index);
        }
        MemorySegment buffer = ring.buffer();
        if (wraps) {
            buffer.set(ValueLayout.JAVA_LONG, 0, 0L); // as SpscProducer: the header at 0, then the terminator
        }
        buffer.set(ValueLayout.JAVA_LONG, (tail + padding + recordLength) & (ring.capacity() - 1), 0L);
        ring.header().putTailRelease(tail + padding + recordLength);
        if (stage.equals("padded")) {
            buffer.set(ValueLayout.JAVA_LONG, index, RecordDescriptor.header(RecordDescriptor.PADDING_TYPE, padding));
        } else if (!stage.equals("copying") && !stage.equals("wrapped")) {
            throw new IllegalArgumentException("unknown stage " + stage);
        }
        int at = wraps ? 0 : index;
        buffer.asSlice(at + RecordDescriptor.HEADER_LENGTH, 100).fill((byte) 0x5A);
    }

    private static void increment(SharedRegion region, int times) {
        SharedAtomicLong counter = region.atomicLong("counter");
        SharedAtomicInt go = region.atomicInt("go");
        while (go.getAcquire() == 0) {
            Thread.onSpinWait();
        }
        for (int i = 0; i < times; i++) {
            if ((i & 1) == 0) {
                counter.incrementAndGet();
            } else {
                counter.addAndGetExact(1);
            }
        }
    }

    private static void hang() {
        while (true) {
            LockSupport.park();
        }
    }
}
