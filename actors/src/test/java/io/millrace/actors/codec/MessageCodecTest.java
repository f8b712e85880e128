package io.millrace.actors.codec;

import io.millrace.actors.ActorPath;
import io.millrace.actors.codec.Messages.Box;
import io.millrace.actors.codec.Messages.Circle;
import io.millrace.actors.codec.Messages.Color;
import io.millrace.actors.codec.Messages.FakeRef;
import io.millrace.actors.codec.Messages.Group;
import io.millrace.actors.codec.Messages.Line;
import io.millrace.actors.codec.Messages.Ping;
import io.millrace.actors.codec.Messages.Point;
import io.millrace.actors.codec.Messages.WithRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageCodecTest {
    private final MessageCodec codec = new MessageCodec(TypeRegistry.inMemory()).resolver(FakeRef::new);

    static Stream<Arguments> samples() {
        List<Arguments> cases = new ArrayList<>();
        for (String kind : Messages.KINDS) {
            for (long seed = 1; seed <= 8; seed++) {
                cases.add(Arguments.of(kind, seed * 7919 + kind.hashCode()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @MethodSource("samples")
    void shouldRoundTripEverySupportedType(String kind, long seed) {
        Object message = Messages.sample(kind, new Random(seed));

        byte[] bytes = codec.encode(message);
        Object decoded = codec.decode(bytes);

        assertThat(bytes).hasSize(codec.sizeOf(message));
        if (message instanceof Messages.Arrays) {
            assertThat(components(decoded)).isEqualTo(components(message)); // arrays compared by content
        } else {
            assertThat(decoded).isEqualTo(message);
        }
        assertThat(codec.encode(decoded)).as("re-encoding the decoded message").isEqualTo(bytes);
    }

    private static Object[] components(Object record) {
        try {
            java.lang.reflect.RecordComponent[] components = record.getClass().getRecordComponents();
            Object[] values = new Object[components.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = components[i].getAccessor().invoke(record);
            }
            return values;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldWriteIntoAnOffsetSliceAndReadInPlace() {
        Ping ping = new Ping(7, 123_456_789L, "pinger");
        int length = codec.sizeOf(ping);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(1024);
            buffer.fill((byte) 0x5A);

            codec.write(ping, buffer, 100, length);

            assertThat(codec.read(buffer, 100, length)).isEqualTo(ping);
            assertThat(buffer.get(ValueLayout.JAVA_BYTE, 99)).as("byte before the slice").isEqualTo((byte) 0x5A);
            assertThat(buffer.get(ValueLayout.JAVA_BYTE, 100 + length)).as("byte after the slice")
                    .isEqualTo((byte) 0x5A);
        }
    }

    @Test
    void shouldKeepNullComponentsAndNullElements() {
        Line line = new Line(new Point(1, 2), null, null, null);
        Box<Object> box = new Box<>(null);
        List<String> withNull = java.util.Arrays.asList("a", null, "c");

        assertThat(codec.decode(codec.encode(line))).isEqualTo(line);
        assertThat(codec.decode(codec.encode(box))).isEqualTo(box);
        assertThat(codec.decode(codec.encode(withNull))).isEqualTo(withNull);
    }

    @Test
    void shouldDecodeCollectionsAsUnmodifiableInEncounterOrder() {
        Set<Integer> set = new java.util.TreeSet<>(List.of(5, 3, 9, 1));
        Map<String, Integer> map = new java.util.TreeMap<>(Map.of("b", 2, "a", 1, "c", 3));

        Object decodedSet = codec.decode(codec.encode(set));
        Object decodedMap = codec.decode(codec.encode(map));

        assertThat(List.copyOf((Set<?>) decodedSet)).isEqualTo(List.of(1, 3, 5, 9));
        assertThat(List.copyOf(((Map<?, ?>) decodedMap).keySet())).isEqualTo(List.of("a", "b", "c"));
        @SuppressWarnings("unchecked") Set<Object> asObjects = (Set<Object>) decodedSet;
        assertThatThrownBy(() -> asObjects.add(4)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldCarryAnEnumConstantWithABody() {
        assertThat(codec.decode(codec.encode(Color.BLUE))).isSameAs(Color.BLUE);
        assertThat(codec.decode(codec.encode(new Box<>(Color.BLUE)))).isEqualTo(new Box<>(Color.BLUE));
    }

    @Test
    void shouldResolveRefsThroughTheResolver() {
        ActorPath path = new ActorPath("sys", 42, "/user/echo", 7);
        List<ActorPath> resolved = new ArrayList<>();
        MessageCodec withResolver = new MessageCodec(TypeRegistry.inMemory()).resolver(p -> {
            resolved.add(p);
            return new FakeRef<>(p);
        });

        Object decoded = withResolver.decode(withResolver.encode(new WithRef("x", new FakeRef<>(path))));

        assertThat(resolved).containsExactly(path);
        assertThat(((WithRef) decoded).replyTo().path()).isEqualTo(path);
    }

    @Test
    void shouldRefuseToDecodeARefWithoutAnActorSystem() {
        MessageCodec plain = new MessageCodec(TypeRegistry.inMemory());
        byte[] bytes = plain.encode(new WithRef("x", new FakeRef<>(new ActorPath("sys", 1, "/user/a", 2))));

        assertThatThrownBy(() -> plain.decode(bytes)).isInstanceOf(CodecException.class)
                .hasMessageContaining("no actor system to resolve refs");
    }

    @Test
    void shouldReportAResolverThatReturnsNull() {
        MessageCodec nulls = new MessageCodec(TypeRegistry.inMemory()).resolver(p -> null);
        byte[] bytes = nulls.encode(new WithRef("x", new FakeRef<>(new ActorPath("sys", 1, "/user/a", 2))));

        assertThatThrownBy(() -> nulls.decode(bytes)).isInstanceOf(CodecException.class)
                .hasMessageContaining("returned null");
    }

    @Test
    void shouldFailWhenTheMessageGrewBetweenSizeAndWrite() {
        List<String> names = new ArrayList<>(List.of("a", "b"));
        Box<List<String>> box = new Box<>(names);
        int length = codec.sizeOf(box);
        names.add("c");
        byte[] target = new byte[length + 16];

        assertThatThrownBy(() -> codec.write(box, MemorySegment.ofArray(target), 0, length))
                .isInstanceOf(CodecException.class).hasMessageContaining("grew");
        assertThat(target[length]).as("nothing written past the slice").isZero();
    }

    @Test
    void shouldFailWhenTheMessageShrankBetweenSizeAndWrite() {
        List<String> names = new ArrayList<>(List.of("a", "b"));
        Box<List<String>> box = new Box<>(names);
        int length = codec.sizeOf(box);
        names.removeLast();

        assertThatThrownBy(() -> codec.write(box, MemorySegment.ofArray(new byte[length]), 0, length))
                .isInstanceOf(CodecException.class).hasMessageContaining("not length=" + length);
    }

    @Test
    void shouldRefuseASliceOutsideTheSegment() {
        assertThatThrownBy(() -> codec.write(new Point(1, 2), MemorySegment.ofArray(new byte[8]), 4, 9))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("offset=4 length=9");
        assertThatThrownBy(() -> codec.read(MemorySegment.ofArray(new byte[8]), -1, 2))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("offset=-1");
    }

    @Test
    void shouldStopAtACollectionThatContainsItself() {
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);

        assertThatThrownBy(() -> codec.sizeOf(cycle)).isInstanceOf(CodecException.class)
                .hasMessageContaining("nested deeper than " + MessageCodec.MAX_DEPTH);
    }

    @Test
    void shouldCarryNestingUpToTheLimitOnASmallStackAndRefuseDeeper() throws Exception {
        Messages.Node deepest = Messages.chain(new Random(3), MessageCodec.MAX_DEPTH - 1);
        Messages.Node tooDeep = new Messages.Node(0, Messages.chain(new Random(3), MessageCodec.MAX_DEPTH + 1));
        Object[] result = new Object[2];
        Thread thread = new Thread(null, () -> {
            result[0] = codec.decode(codec.encode(deepest));
            try {
                codec.sizeOf(tooDeep);
            } catch (CodecException e) {
                result[1] = e;
            }
        }, "small-stack", 256 * 1024);
        thread.start();
        thread.join();

        assertThat(result[0]).isEqualTo(deepest);
        assertThat(result[1]).isInstanceOf(CodecException.class);
    }

    @Test
    void shouldCarryATypeThroughARegisteredCodec() {
        MessageCodec custom = new MessageCodec(TypeRegistry.inMemory()).register(Money.class, new MoneyCodec());
        Money money = new Money(12, 34);

        assertThat(custom.decode(custom.encode(money))).isEqualTo(money);
        assertThat(custom.decode(custom.encode(new Box<>(money)))).isEqualTo(new Box<>(money));
        assertThat(custom.decode(custom.encode(List.of(money, money)))).isEqualTo(List.of(money, money));
    }

    @Test
    void shouldRefuseARegistrationAfterFirstUse() {
        MessageCodec used = new MessageCodec(TypeRegistry.inMemory());
        used.sizeOf(new Point(1, 1));

        assertThatThrownBy(() -> used.register(Point.class, new PointAsLongCodec()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(Point.class.getName());
        assertThatThrownBy(() -> used.register(String.class, new StringCodec()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.String");
    }

    @Test
    void shouldNameTheFieldWhoseDeclaredTypeIsViolatedByHeapPollution() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Messages.Collections polluted = new Messages.Collections((List) List.of(1), Set.of(), Map.of(),
                Optional.empty(), Optional.empty(), List.of(), Map.of());

        assertThatThrownBy(() -> codec.sizeOf(polluted)).isInstanceOf(UnsupportedMessageException.class)
                .hasMessageContaining("Messages$Collections.names[element] of type java.lang.Integer");
    }

    @Test
    void shouldCheckASealedInterfaceThroughItsPermittedRecords() {
        codec.check(Messages.Shape.class);
        codec.check(Group.class);
        codec.check(Circle.class);
    }

    /** A plain class, carried only through a registered {@link Codec}. */
    static final class Money {
        final long units;
        final int cents;

        Money(long units, int cents) {
            this.units = units;
            this.cents = cents;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Money m && m.units == units && m.cents == cents;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(units) * 31 + cents;
        }
    }

    static final class MoneyCodec implements Codec<Money> {
        @Override
        public int sizeOf(Money value) {
            return 12;
        }

        @Override
        public void write(Money value, MemorySegment segment, long offset) {
            segment.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, value.units);
            segment.set(ValueLayout.JAVA_INT_UNALIGNED, offset + 8, value.cents);
        }

        @Override
        public Money read(MemorySegment segment, long offset, int length) {
            return new Money(segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset),
                    segment.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 8));
        }
    }

    static final class PointAsLongCodec implements Codec<Point> {
        @Override
        public int sizeOf(Point value) {
            return 8;
        }

        @Override
        public void write(Point value, MemorySegment segment, long offset) {
            segment.set(ValueLayout.JAVA_LONG_UNALIGNED, offset, ((long) value.x() << 32) | (value.y() & 0xFFFFFFFFL));
        }

        @Override
        public Point read(MemorySegment segment, long offset, int length) {
            long v = segment.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
            return new Point((int) (v >> 32), (int) v);
        }
    }

    static final class StringCodec implements Codec<String> {
        @Override
        public int sizeOf(String value) {
            return 0;
        }

        @Override
        public void write(String value, MemorySegment segment, long offset) {
        }

        @Override
        public String read(MemorySegment segment, long offset, int length) {
            return "";
        }
    }
}
