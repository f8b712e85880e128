package io.millrace.reactive;

import io.millrace.actors.codec.UnsupportedMessageException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one place where the bridge finds the {@link ElementCodec} of an element type: the built-in codecs
 * ({@code byte[]}, {@link MemorySegment}, {@link String}), the codecs registered here or found through
 * {@link ServiceLoader}, then the {@link ElementCodecProvider}s (registered, then found through ServiceLoader),
 * whose first answer is kept for the class, and last the built-in provider over the actors' message codec: records,
 * sealed interfaces of records, enums, boxes, lists and the other types {@link io.millrace.actors.codec.MessageCodec}
 * carries, with type ids agreed in the base directory's shared type registry.
 */
public final class ElementCodecs {
    private static final Map<Class<?>, ElementCodec<?>> CODECS = new ConcurrentHashMap<>();
    private static final List<ElementCodecProvider> PROVIDERS = new CopyOnWriteArrayList<>();
    private static final List<ElementCodecProvider> LOADED_PROVIDERS = new CopyOnWriteArrayList<>();
    /** Asked last: every type the actors' message codec carries. */
    private static final ElementCodecProvider FALLBACK = new MessageElementCodecs();

    static {
        add(new BytesCodec());
        add(new SegmentCodec());
        add(new StringCodec());
        for (ElementCodec<?> codec : ServiceLoader.load(ElementCodec.class)) {
            CODECS.putIfAbsent(codec.type(), codec);
        }
        ServiceLoader.load(ElementCodecProvider.class).forEach(LOADED_PROVIDERS::add);
    }

    private ElementCodecs() {
    }

    /**
     * Registers {@code codec} for its {@link ElementCodec#type()}, replacing the one known before.
     *
     * @param codec the codec
     * @throws IllegalArgumentException if the codec's type is one of the built-in ones
     */
    public static void register(ElementCodec<?> codec) {
        Objects.requireNonNull(codec, "codec");
        Class<?> type = Objects.requireNonNull(codec.type(), "codec.type()");
        if (type == byte[].class || type == MemorySegment.class || type == String.class) {
            throw new IllegalArgumentException("type=" + type.getName() + " has a built-in codec");
        }
        CODECS.put(type, codec);
    }

    /**
     * Registers {@code provider}, asked for types that have no codec of their own (after the providers registered
     * before it, before those found through {@link ServiceLoader}).
     *
     * @param provider the provider
     */
    public static void register(ElementCodecProvider provider) {
        PROVIDERS.add(Objects.requireNonNull(provider, "provider"));
    }

    /**
     * @param type an element type
     * @return its codec
     * @throws StreamException ({@link StreamException.Reason#NO_CODEC}) naming the type, when none is known
     *                         and, when the actors' message codec cannot carry it either, the class and the
     *                         component it cannot carry (its {@link UnsupportedMessageException} is the cause)
     */
    @SuppressWarnings("unchecked")
    public static <T> ElementCodec<T> forType(Class<T> type) {
        Objects.requireNonNull(type, "type");
        ElementCodec<?> codec = CODECS.get(type);
        if (codec == null) {
            try {
                codec = provide(type);
            } catch (UnsupportedMessageException e) {
                throw new StreamException(StreamException.Reason.NO_CODEC, "no element codec for type="
                        + type.getName() + ", and the message codec " + e.getMessage(), e);
            }
        }
        if (codec == null) {
            throw new StreamException(StreamException.Reason.NO_CODEC, "no element codec for type="
                    + type.getName() + "; built in: byte[], java.lang.foreign.MemorySegment, java.lang.String;"
                    + " register an ElementCodec or an ElementCodecProvider (ElementCodecs.register, or ServiceLoader)");
        }
        return (ElementCodec<T>) codec;
    }

    private static <T> ElementCodec<T> provide(Class<T> type) {
        for (List<ElementCodecProvider> providers : List.of(PROVIDERS, LOADED_PROVIDERS, List.of(FALLBACK))) {
            for (ElementCodecProvider provider : providers) {
                Optional<ElementCodec<T>> codec = provider.codecFor(type);
                if (codec.isPresent()) {
                    if (codec.get().type() != type) {
                        throw new IllegalStateException(provider.getClass().getName() + " gave a codec for type="
                                + codec.get().type().getName() + " when asked for type=" + type.getName());
                    }
                    CODECS.putIfAbsent(type, codec.get());
                    return codec.get();
                }
            }
        }
        return null;
    }

    private static void add(ElementCodec<?> codec) {
        CODECS.put(codec.type(), codec);
    }

    /** {@code byte[]}: the bytes as they are. */
    private static final class BytesCodec implements ElementCodec<byte[]> {
        @Override
        public Class<byte[]> type() {
            return byte[].class;
        }

        @Override
        public int sizeOf(byte[] element) {
            return element.length;
        }

        @Override
        public void write(byte[] element, MemorySegment segment, long offset) {
            MemorySegment.copy(element, 0, segment, ValueLayout.JAVA_BYTE, offset, element.length);
        }

        @Override
        public byte[] read(MemorySegment segment, long offset, int length) {
            byte[] bytes = new byte[length];
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, bytes, 0, length);
            return bytes;
        }
    }

    /** {@link MemorySegment}: its bytes, read back into a heap segment of their own. */
    private static final class SegmentCodec implements ElementCodec<MemorySegment> {
        @Override
        public Class<MemorySegment> type() {
            return MemorySegment.class;
        }

        @Override
        public int sizeOf(MemorySegment element) {
            long size = element.byteSize();
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("segment byteSize=" + size + " exceeds " + Integer.MAX_VALUE);
            }
            return (int) size;
        }

        @Override
        public void write(MemorySegment element, MemorySegment segment, long offset) {
            MemorySegment.copy(element, 0, segment, offset, element.byteSize());
        }

        @Override
        public MemorySegment read(MemorySegment segment, long offset, int length) {
            MemorySegment copy = MemorySegment.ofArray(new byte[length]);
            MemorySegment.copy(segment, offset, copy, 0, length);
            return copy;
        }
    }

    /** {@link String}: UTF-8. */
    private static final class StringCodec implements ElementCodec<String> {
        @Override
        public Class<String> type() {
            return String.class;
        }

        @Override
        public int sizeOf(String element) {
            return utf8Length(element);
        }

        @Override
        public void write(String element, MemorySegment segment, long offset) {
            byte[] bytes = element.getBytes(StandardCharsets.UTF_8);
            MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, offset, bytes.length);
        }

        @Override
        public String read(MemorySegment segment, long offset, int length) {
            byte[] bytes = new byte[length];
            MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, bytes, 0, length);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        /** UTF-8 length without encoding: 1 to 3 bytes a char, 4 for a surrogate pair. */
        private static int utf8Length(String s) {
            int length = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    length++;
                } else if (c < 0x800) {
                    length += 2;
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1))) {
                    length += 4;
                    i++;
                } else if (Character.isSurrogate(c)) {
                    length++; // a lone surrogate: getBytes writes '?'
                } else {
                    length += 3;
                }
            }
            return length;
        }
    }
}
