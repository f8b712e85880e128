package io.millrace.actors.codec;

import io.millrace.actors.codec.Messages.FakeRef;
import io.millrace.actors.codec.Messages.Point;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Decoding is defensive: corrupt or foreign bytes give a {@link CodecException}, never an Error, OOM or hang. */
class CorruptMessageTest {
    private final TypeRegistry registry = TypeRegistry.inMemory();
    private final MessageCodec codec = new MessageCodec(registry).resolver(FakeRef::new);

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 60);
    }

    /** 60 seeds x 10 mutations of valid encodings of every kind of message. */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void shouldDecodeFuzzedBytesToAMessageOrACodecException(long seed) {
        Random random = new Random(seed);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int round = 0; round < 10; round++) {
                String kind = Messages.KINDS.get(random.nextInt(Messages.KINDS.size()));
                byte[] valid = codec.encode(Messages.sample(kind, random));
                String[] how = new String[1];
                byte[] mutated = mutate(valid, random, how);
                try {
                    codec.decode(mutated);
                } catch (CodecException expected) {
                    assertThat(expected.getMessage()).isNotBlank();
                } catch (Throwable t) {
                    fail("seed=" + seed + " round=" + round + " kind=" + kind + " mutation=" + how[0]
                            + " bytes=" + Arrays.toString(mutated) + " threw " + t, t);
                }
            }
        });
    }

    private static byte[] mutate(byte[] valid, Random random, String[] how) {
        byte[] bytes = valid.clone();
        switch (random.nextInt(5)) {
            case 0 -> {
                int flips = 1 + random.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
                how[0] = flips + " bit flips";
            }
            case 1 -> {
                int length = random.nextInt(bytes.length);
                bytes = Arrays.copyOf(bytes, length);
                how[0] = "truncated to " + length;
            }
            case 2 -> {
                bytes[random.nextInt(bytes.length)] = (byte) (random.nextBoolean() ? 0xFF : random.nextInt());
                how[0] = "one byte replaced";
            }
            case 3 -> {
                int at = random.nextInt(bytes.length);
                byte[] longer = new byte[bytes.length + 5];
                System.arraycopy(bytes, 0, longer, 0, at);
                longer[at] = (byte) 0xFF;
                longer[at + 1] = (byte) 0xFF;
                longer[at + 2] = (byte) 0xFF;
                longer[at + 3] = (byte) 0xFF;
                longer[at + 4] = (byte) 0x07; // a varint near 2^31 inserted
                System.arraycopy(bytes, at, longer, at + 5, bytes.length - at);
                bytes = longer;
                how[0] = "huge varint inserted at " + at;
            }
            default -> {
                int at = random.nextInt(bytes.length);
                int length = 1 + random.nextInt(bytes.length - at);
                byte[] noise = new byte[length];
                random.nextBytes(noise);
                System.arraycopy(noise, 0, bytes, at, length);
                how[0] = length + " random bytes at " + at;
            }
        }
        return bytes;
    }

    private static byte[] bytes(int... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int v : values) {
            out.write(v);
        }
        return out.toByteArray();
    }

    @Test
    void shouldNameAnUnknownBuiltInTypeId() {
        assertThatThrownBy(() -> codec.decode(bytes(25))).isInstanceOf(CodecException.class)
                .hasMessageContaining("offset=0").hasMessageContaining("no built-in type has id=25");
    }

    @Test
    void shouldNameATypeIdThatTheRegistryDoesNotKnow() {
        assertThatThrownBy(() -> codec.decode(bytes(0x80 | 20, 4))).isInstanceOf(CodecException.class)
                .hasMessageContaining("type id=532").hasMessageContaining("no type registered under id=500");
    }

    @Test
    void shouldNameAClassThatCannotBeLoaded() {
        int id = registry.idOf("com.example.NoSuchMessage");

        assertThatThrownBy(() -> codec.decode(bytes(Wire.FIRST_USER_ID + id, 0)))
                .isInstanceOf(CodecException.class).hasMessageContaining("com.example.NoSuchMessage")
                .hasMessageContaining("cannot load");
    }

    @Test
    void shouldRefuseAClassNameThatIsNotAMessageType() {
        int thread = registry.idOf("java.lang.Thread");
        int list = registry.idOf("java.util.ArrayList");

        assertThatThrownBy(() -> codec.decode(bytes(Wire.FIRST_USER_ID + thread, 0)))
                .isInstanceOf(CodecException.class).hasMessageContaining("java.lang.Thread")
                .hasMessageContaining("refused");
        assertThatThrownBy(() -> codec.decode(bytes(Wire.FIRST_USER_ID + list, 0)))
                .isInstanceOf(CodecException.class).hasMessageContaining("refused");
    }

    @Test
    void shouldNameAWrongFieldCount() {
        byte[] point = codec.encode(new Point(1, 2));
        point[1] = 3; // the field count follows the one-byte type id

        assertThatThrownBy(() -> codec.decode(point)).isInstanceOf(CodecException.class)
                .hasMessageContaining("offset=1").hasMessageContaining(Point.class.getName() + " has 2 components")
                .hasMessageContaining("count=3");
    }

    @Test
    void shouldNameAWrongFieldCountOfANestedRecord() {
        byte[] line = codec.encode(new Messages.Line(new Point(1, 2), new Point(3, 4), Messages.Color.RED, "l"));
        line[3] = 5; // type id, Line's count, the null flag of Line.from, then Point's count

        assertThatThrownBy(() -> codec.decode(line)).isInstanceOf(CodecException.class)
                .hasMessageContaining("offset=3").hasMessageContaining(Point.class.getName() + " has 2 components")
                .hasMessageContaining("count=5");
    }

    @Test
    void shouldRefuseALengthPastTheEnd() {
        byte[] text = codec.encode("abc");
        text[1] = (byte) (50 << 1); // 50 Latin-1 chars, 3 present

        assertThatThrownBy(() -> codec.decode(text)).isInstanceOf(CodecException.class)
                .hasMessageContaining("offset=1").hasMessageContaining("string of 50 chars does not fit");
    }

    @Test
    void shouldRefuseACountThatWouldAllocateMoreThanTheRecordHolds() {
        assertThatThrownBy(() -> codec.decode(bytes(Wire.LIST, 0xFF, 0xFF, 0xFF, 0xFF, 0x07)))
                .isInstanceOf(CodecException.class).hasMessageContaining("list element count=2147483647");
        assertThatThrownBy(() -> codec.decode(bytes(Wire.LONG_ARRAY, 0xFF, 0xFF, 0xFF, 0x0F)))
                .isInstanceOf(CodecException.class).hasMessageContaining("long[] count=");
    }

    @Test
    void shouldRefuseTrailingBytes() {
        byte[] point = Arrays.copyOf(codec.encode(new Point(1, 2)), codec.sizeOf(new Point(1, 2)) + 2);

        assertThatThrownBy(() -> codec.decode(point)).isInstanceOf(CodecException.class)
                .hasMessageContaining("2 bytes after the message");
    }

    @Test
    void shouldStopAtNestingDeeperThanTheLimit() {
        byte[] deep = new byte[2 * 1000 + 1];
        for (int i = 0; i < 1000; i++) {
            deep[2 * i] = Wire.OPTIONAL;
            deep[2 * i + 1] = Wire.OPTIONAL; // Optional of a dynamic slot holding an Optional ...
        }
        deep[2000] = 0;

        assertThatThrownBy(() -> codec.decode(deep)).isInstanceOf(CodecException.class)
                .hasMessageContaining("nested deeper than " + MessageCodec.MAX_DEPTH);
    }

    @Test
    void shouldNameAValueOfTheWrongTypeForAComponent() {
        byte[] envelope = codec.encode(new Messages.Envelope(1, new Messages.Circle(new Point(1, 1), 2), "k"));
        // Envelope(Object payload, Shape shape, Comparable key): type id, count, payload = INT 4 bytes, then shape
        envelope[2 + 1 + 4] = Wire.STRING;

        assertThatThrownBy(() -> codec.decode(envelope)).isInstanceOf(CodecException.class);
    }
}
