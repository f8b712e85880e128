package io.millrace.actors.remote;

import io.millrace.shm.ChildJvm;
import io.millrace.shm.MessageTooLargeException;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportTest {
    static final int MAX_MESSAGE = 1 << 20;
    static final int LANE_CAPACITY = 1 << 16;
    static final MessageEncoder<byte[]> BYTES = new MessageEncoder<>() {
        @Override
        public int sizeOf(byte[] message) {
            return message.length;
        }

        @Override
        public void write(byte[] message, MemorySegment segment, long offset, int length) {
            MemorySegment.copy(message, 0, segment, ValueLayout.JAVA_BYTE, offset, message.length);
        }
    };

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    /** Seeded message bytes: mostly small, some longer than one record of a ring whose record max is given. */
    static byte[] message(SplittableRandom random, int recordMax) {
        int length = random.nextInt(10) == 0 ? recordMax + random.nextInt(3 * recordMax) : random.nextInt(200);
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** What a Delivery saw. */
    static final class Received implements Delivery {
        final List<Long> targets = new ArrayList<>();
        final List<byte[]> messages = new ArrayList<>();
        final List<String> corrupt = new ArrayList<>();

        @Override
        public void deliver(long targetUid, MemorySegment segment, long offset, int length) {
            targets.add(targetUid);
            messages.add(segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        }

        @Override
        public void corrupt(String what) {
            corrupt.add(what);
        }
    }

    /** Drains every lane, each with its own Inbound (as each lane's thread has its own). */
    private static void drain(Inbound[] in, NodeRegion node, Received into) {
        for (int i = 0; i < node.lanes(); i++) {
            while (in[i].poll(node.lane(i), into, 256) > 0) {
                // until empty
            }
        }
    }

    @Test
    void shouldDeliverSmallAndFragmentedMessagesWholeAndInOrder() {
        try (NodeRegion node = NodeRegion.create(shm.directory(), "test", 1, LANE_CAPACITY, 0);
             NodeRegion peer = NodeRegion.attach(shm.directory(), node.id(), Duration.ofSeconds(1))) {
            Outbound out = new Outbound(MAX_MESSAGE);
            Inbound[] in = {new Inbound(MAX_MESSAGE)};
            SplittableRandom random = new SplittableRandom(7);
            List<byte[]> sent = new ArrayList<>();
            Received received = new Received();
            for (int i = 0; i < 200; i++) {
                byte[] message = message(random, peer.lane(0).maxMessageLength());
                sent.add(message);
                assertThat(out.send(peer.lane(0), i, BYTES, message, Duration.ofSeconds(5))).isTrue();
                drain(in, node, received);
            }
            assertThat(received.corrupt).isEmpty();
            assertThat(received.messages).containsExactlyElementsOf(sent);
            assertThat(received.targets).hasSize(200).startsWith(0L, 1L, 2L);
            assertThat(in[0].unfinished()).isZero();
        }
    }

    @Test
    void shouldReassembleFragmentsOfTwoSenderThreadsInterleaved() throws Exception {
        try (NodeRegion node = NodeRegion.create(shm.directory(), "test", 1, 1 << 22, 0)) {
            Outbound out = new Outbound(8 << 20);
            int recordMax = node.lane(0).maxMessageLength();
            byte[] a = new byte[recordMax * 3];   // both fit in the ring at once: nobody drains until both are sent
            byte[] b = new byte[recordMax * 2 + 1];
            java.util.Arrays.fill(a, (byte) 'a');
            java.util.Arrays.fill(b, (byte) 'b');
            CountDownLatch start = new CountDownLatch(1);
            Thread other = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    out.send(node.lane(0), 2, BYTES, b, Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            start.countDown();
            out.send(node.lane(0), 1, BYTES, a, Duration.ofSeconds(5));
            other.join();
            Received received = new Received();
            drain(new Inbound[] {new Inbound(8 << 20)}, node, received);
            assertThat(received.corrupt).isEmpty();
            assertThat(received.messages).hasSize(2).anySatisfy(m -> assertThat(m).isEqualTo(a))
                    .anySatisfy(m -> assertThat(m).isEqualTo(b));
        }
    }

    @Test
    void shouldRefuseAMessageOverTheMaximumNamingBothSizesAndWriteNothing() {
        try (NodeRegion node = NodeRegion.create(shm.directory(), "test", 1, LANE_CAPACITY, 0)) {
            Outbound out = new Outbound(100_000);
            assertThatThrownBy(() -> out.send(node.lane(0), 1, BYTES, new byte[100_001], Duration.ZERO))
                    .isInstanceOf(MessageTooLargeException.class).hasMessageContaining("100001")
                    .hasMessageContaining("maxMessageBytes=100000");
            assertThat(node.lane(0).stats().tail()).isZero();
        }
    }

    @Test
    void shouldReportFullRingAsFalseAfterTheTimeout() {
        try (NodeRegion node = NodeRegion.create(shm.directory(), "test", 1, 1024, 0)) {
            Outbound out = new Outbound(MAX_MESSAGE);
            int sent = 0;
            while (out.send(node.lane(0), 1, BYTES, new byte[64], Duration.ZERO)) {
                sent++;
            }
            assertThat(sent).isPositive();
            assertThat(out.send(node.lane(0), 1, BYTES, new byte[64], Duration.ofMillis(20))).isFalse();
        }
    }

    @Test
    void shouldDropCorruptFramesAndKeepDelivering() {
        try (NodeRegion node = NodeRegion.create(shm.directory(), "test", 1, LANE_CAPACITY, 0)) {
            Outbound out = new Outbound(MAX_MESSAGE);
            node.lane(0).offer(99, new byte[16], 0, 16);                      // unknown type
            node.lane(0).offer(Frames.MESSAGE, new byte[4], 0, 4);            // shorter than its header
            node.lane(0).offer(Frames.FRAGMENT_NEXT, new byte[16], 0, 16);    // no first fragment
            MemorySegment huge = MemorySegment.ofArray(new long[3]);
            huge.set(ValueLayout.JAVA_INT, 16, Integer.MAX_VALUE);            // a message longer than the maximum
            node.lane(0).offer(Frames.FRAGMENT_FIRST, huge);
            out.send(node.lane(0), 5, BYTES, new byte[] {1, 2, 3}, Duration.ZERO);
            Received received = new Received();
            drain(new Inbound[] {new Inbound(MAX_MESSAGE)}, node, received);
            assertThat(received.corrupt).hasSize(4);
            assertThat(received.messages).containsExactly(new byte[] {1, 2, 3});
            assertThat(received.targets).containsExactly(5L);
        }
    }

    @Test
    void shouldDeliverMessagesOfAnotherProcessWholeAndInOrder() throws Exception {
        try (NodeRegion node = NodeRegion.create(shm.directory(), "test", 2, LANE_CAPACITY, 0);
             ChildJvm child = ChildJvm.start(TransportChild.class, shm.path().toString(),
                     Long.toHexString(node.id()), "500")) {
            Inbound[] in = {new Inbound(MAX_MESSAGE), new Inbound(MAX_MESSAGE)};
            Received received = new Received();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.messages.size() < 500 && System.nanoTime() < deadline) {
                drain(in, node, received);
                Thread.onSpinWait();
            }
            assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(received.corrupt).isEmpty();
            SplittableRandom random = new SplittableRandom(42);
            List<byte[]> expected = new ArrayList<>();
            List<byte[]>[] perTarget = perTarget(received);
            for (int i = 0; i < 500; i++) {
                expected.add(message(random, node.lane(0).maxMessageLength()));
            }
            for (int target = 0; target < 5; target++) {
                List<byte[]> mine = new ArrayList<>();
                for (int i = target; i < 500; i += 5) {
                    mine.add(expected.get(i));
                }
                assertThat(perTarget[target]).as("messages to uid %d, in order", target).containsExactlyElementsOf(mine);
            }
        }
    }

    @Test
    void shouldDropTheUnfinishedMessageOfASenderThatDied() throws Exception {
        try (NodeRegion node = NodeRegion.create(shm.directory(), "test", 1, LANE_CAPACITY, 0);
             ChildJvm child = ChildJvm.start(TransportChild.class, shm.path().toString(),
                     Long.toHexString(node.id()), "0", "hang-after-first-fragment")) {
            child.awaitLine("HALF-SENT", Duration.ofSeconds(30));
            Inbound in = new Inbound(MAX_MESSAGE);
            Received received = new Received();
            drain(new Inbound[] {in}, node, received);
            assertThat(in.unfinished()).isEqualTo(1);
            assertThat(in.dropDeadSenders()).isZero(); // its sender lives
            child.kill();
            assertThat(in.dropDeadSenders()).isEqualTo(1);
            assertThat(in.unfinished()).isZero();
            assertThat(received.messages).isEmpty();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<byte[]>[] perTarget(Received received) {
        List<byte[]>[] result = new List[5];
        for (int i = 0; i < 5; i++) {
            result[i] = new ArrayList<>();
        }
        for (int i = 0; i < received.messages.size(); i++) {
            result[(int) (long) received.targets.get(i)].add(received.messages.get(i));
        }
        return result;
    }
}
