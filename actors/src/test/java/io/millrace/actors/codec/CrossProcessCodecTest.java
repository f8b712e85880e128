package io.millrace.actors.codec;

import io.millrace.actors.codec.Messages.FakeRef;
import io.millrace.shm.ChildJvm;
import io.millrace.shm.RegionSpec;
import io.millrace.shm.Ring;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Two processes agree on type ids through the shared table, whatever order each meets its classes in. */
class CrossProcessCodecTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    @Test
    void shouldDecodeWhatAChildProcessEncodedWithTypesRegisteredInAnotherOrder() throws Exception {
        long seed = 20261201;
        int rounds = 4;
        RegionSpec spec = RegionSpec.named("codec-xp").spscRing("inbox", 1 << 20).build();
        try (SharedRegion region = shm.directory().create(spec);
             SharedTypeRegistry types = SharedTypeRegistry.open(shm.directory(), TIMEOUT)) {
            MessageCodec codec = new MessageCodec(types).resolver(FakeRef::new);
            Random other = new Random(seed + 1);
            for (String kind : Messages.KINDS.reversed()) {
                codec.sizeOf(Messages.sample(kind, other)); // registers this process's classes first, backwards
            }
            Ring ring = region.ring("inbox");
            List<Object> received = new ArrayList<>();
            try (ChildJvm child = ChildJvm.start(CodecChild.class, "send", shm.path().toString(), "codec-xp", "inbox",
                    Long.toString(seed), Integer.toString(rounds))) {
                int expected = rounds * Messages.KINDS.size();
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (received.size() < expected && System.nanoTime() - deadline < 0) {
                    ring.receive((type, buffer, offset, length) -> received.add(codec.read(buffer, offset, length)),
                            64, Duration.ofMillis(200));
                }
                String sent = child.awaitLine("SENT", TIMEOUT);
                assertThat(sent).isEqualTo("SENT " + expected);
                assertThat(child.awaitExit(TIMEOUT)).isZero();
                for (String line : child.transcript()) {
                    if (line.startsWith("ID ")) {
                        String[] nameAndId = line.substring(3).split("=");
                        assertThat(types.idOf(nameAndId[0])).as(nameAndId[0]).isEqualTo(Integer.parseInt(nameAndId[1]));
                    }
                }
            }

            Random random = new Random(seed);
            int i = 0;
            for (int round = 0; round < rounds; round++) {
                for (String kind : Messages.KINDS) {
                    Object message = Messages.sample(kind, random);
                    Object decoded = received.get(i++);
                    assertThat(codec.encode(decoded)).as(kind + " #" + i).isEqualTo(codec.encode(message));
                    if (!(message instanceof Messages.Arrays)) {
                        assertThat(decoded).as(kind + " #" + i).isEqualTo(message);
                    }
                }
            }
            assertThat(received).hasSize(i);
        } finally {
            shm.directory().unlink("codec-xp");
            shm.directory().unlink(SharedTypeRegistry.REGION);
        }
    }

    @Test
    void shouldRegisterANameAgainWhenItsClaimantDiedBeforePublishing() throws Exception {
        String name = Messages.Point.class.getName();
        RegionSpec spec = RegionSpec.named(SharedTypeRegistry.REGION)
                .block(SharedTypeRegistry.BLOCK, SharedTypeRegistry.DEFAULT_BYTES).build();
        try (SharedRegion region = shm.directory().createOrAttach(spec, TIMEOUT)) {
            SharedTypeRegistry types = new SharedTypeRegistry(region.block(SharedTypeRegistry.BLOCK), null,
                    System::currentTimeMillis, Duration.ofMillis(300), Duration.ofSeconds(5));
            try (ChildJvm child = ChildJvm.start(CodecChild.class, "claim-and-hang", shm.path().toString(), name)) {
                assertThat(child.awaitLine("CLAIMED", TIMEOUT)).isEqualTo("CLAIMED 0");
                child.kill();
            }

            int id = types.idOf(name); // waits out the dead claim (300 ms), abandons it, registers again
            MessageCodec codec = new MessageCodec(types);

            assertThat(id).isEqualTo(1);
            assertThat(codec.decode(codec.encode(new Messages.Point(3, 4)))).isEqualTo(new Messages.Point(3, 4));
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> types.nameOf(0)))
                    .isInstanceOf(CodecException.class).hasMessageContaining("abandoned");
        } finally {
            shm.directory().unlink(SharedTypeRegistry.REGION);
        }
    }
}
