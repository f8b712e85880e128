package io.millrace.reactive;

import io.millrace.actors.codec.CodecException;
import io.millrace.actors.codec.MessageCodec;
import io.millrace.actors.codec.SharedTypeRegistry;
import io.millrace.actors.codec.TypeRegistry;
import io.millrace.shm.ShmDirectory;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The built-in fallback {@link ElementCodecProvider}: elements of every type the actors' {@link MessageCodec}
 * carries (records, sealed interfaces of records, enums, boxes, lists, ...), asked after the registered and
 * service-loaded providers.
 *
 * <p>Type ids must agree between the processes of a stream, so each base directory has one
 * {@link SharedTypeRegistry} in this process (the one the actor nodes of that directory use too) and one
 * {@code MessageCodec} over it. They are opened when the first stream of the directory
 * {@linkplain ElementCodec#acquire acquires} its codec and closed (unmapped) when the last one releases it; a
 * codec lives as long as its registry, since it caches the ids it was given. The {@code millrace-types} region
 * itself outlives the streams, as it does for actor nodes (the last node out, or {@code millrace clean}, removes
 * it).
 *
 * <p>Whether a type can be carried is checked when the codec is asked for ({@link MessageCodec#check}, against a
 * codec in this process's memory): a type it cannot carry fails at once with the codec's
 * {@link io.millrace.actors.codec.UnsupportedMessageException}, naming the class and the component, which
 * {@link ElementCodecs#forType} reports as {@code NO_CODEC} with it as the cause.
 */
final class MessageElementCodecs implements ElementCodecProvider {
    /** How long to wait for another process that is creating the type registry's region. */
    static final Duration OPEN_TIMEOUT = Duration.ofSeconds(5);

    private static final MessageCodec CHECKER = new MessageCodec(TypeRegistry.inMemory());
    private static final Map<Path, Shared> SHARED = new HashMap<>();

    /** A directory's registry and codec, with the number of streams that use them. Guarded by {@link #SHARED}. */
    private static final class Shared {
        final SharedTypeRegistry registry;
        final MessageCodec codec;
        int users;

        Shared(SharedTypeRegistry registry) {
            this.registry = registry;
            this.codec = new MessageCodec(registry, MessageElementCodecs.class.getClassLoader());
        }
    }

    @Override
    public <T> Optional<ElementCodec<T>> codecFor(Class<T> type) {
        CHECKER.check(type); // UnsupportedMessageException naming the class and the component
        return Optional.of(new Unbound<>(type));
    }

    static Shared retain(ShmDirectory directory) {
        Path key = directory.path().toAbsolutePath().normalize();
        synchronized (SHARED) {
            Shared shared = SHARED.get(key);
            if (shared == null) {
                shared = new Shared(SharedTypeRegistry.open(directory, OPEN_TIMEOUT));
                SHARED.put(key, shared);
            }
            shared.users++;
            return shared;
        }
    }

    static void release(Shared shared) {
        synchronized (SHARED) {
            if (--shared.users == 0) {
                SHARED.values().remove(shared);
                shared.registry.close();
            }
        }
    }

    /** @return how many base directories have an open registry here (for tests) */
    static int openRegistries() {
        synchronized (SHARED) {
            return SHARED.size();
        }
    }

    /** The codec {@link ElementCodecs#forType} keeps for a type: checked, bound to no directory yet. */
    private record Unbound<T>(Class<T> type) implements ElementCodec<T> {
        @Override
        public ElementCodec<T> acquire(ShmDirectory directory) {
            Objects.requireNonNull(directory, "directory");
            return new Bound<>(type, retain(directory));
        }

        @Override
        public int sizeOf(T element) {
            throw unbound();
        }

        @Override
        public void write(T element, MemorySegment segment, long offset) {
            throw unbound();
        }

        @Override
        public T read(MemorySegment segment, long offset, int length) {
            throw unbound();
        }

        private IllegalStateException unbound() {
            return new IllegalStateException("the message codec of type=" + type.getName()
                    + " is used through acquire(directory) only");
        }
    }

    /** The codec of one stream: its directory's message codec, until {@link #release}. */
    private static final class Bound<T> implements ElementCodec<T> {
        private final Class<T> type;
        private final Shared shared;
        private boolean released;

        Bound(Class<T> type, Shared shared) {
            this.type = type;
            this.shared = shared;
        }

        @Override
        public Class<T> type() {
            return type;
        }

        @Override
        public int sizeOf(T element) {
            return shared.codec.sizeOf(element);
        }

        @Override
        public void write(T element, MemorySegment segment, long offset) {
            shared.codec.write(element, segment, offset, shared.codec.sizeOf(element));
        }

        @Override
        public T read(MemorySegment segment, long offset, int length) {
            Object element = shared.codec.read(segment, offset, length);
            if (!type.isInstance(element)) {
                throw new CodecException("an element of type=" + element.getClass().getName()
                        + " arrived in a stream of type=" + type.getName());
            }
            return type.cast(element);
        }

        @Override
        public synchronized void release() {
            if (!released) {
                released = true;
                MessageElementCodecs.release(shared);
            }
        }
    }
}
