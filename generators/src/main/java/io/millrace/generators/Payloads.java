package io.millrace.generators;

import io.millrace.reactive.RemoteException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The data between a parent and its workers (task inputs, results, snapshots, generator elements, errors): Java
 * serialization, the only form that carries any {@link Serializable} value. Code goes through {@code Shipping}
 * (whose filter admits only what code is made of); data is whatever the user's code returns, so its filter bounds
 * only size, depth and references. The trust boundary is the OS user, as for the rings: the bytes come from a
 * process of the same user through files only that user can open.
 *
 * <p>Null, an {@code Integer}, {@code Long} or {@code String}, and lists of only {@code Integer}, {@code Long} or
 * {@code Double} (a map's chunks and results, mostly) go {@link Packed}, as tagged values and arrays, read back as a
 * {@link PackedList} over the bytes: Java serialization costs about 2 µs an element, which would bound a map at a
 * few hundred thousand items a second.
 *
 * <p>A throwable travels as a {@link RemoteException} chain (class name, message, stack trace of each cause), so
 * the receiver needs none of the original classes.
 */
final class Payloads {
    private static final long MAX_BYTES = 1L << 30;
    private static final long MAX_DEPTH = 1_000;
    private static final int MAX_CAUSES = 16;
    /** The first byte of Java serialization's stream magic ({@code 0xACED}); any other first byte is {@link Packed}. */
    private static final byte SERIALIZED = (byte) 0xAC;
    private static final ObjectInputFilter BOUNDS = info -> info.streamBytes() > MAX_BYTES
            || info.depth() > MAX_DEPTH ? ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.UNDECIDED;

    private Payloads() {
    }

    /**
     * @throws IllegalArgumentException if {@code value} is not serializable, naming its class and what it holds
     */
    static byte[] write(Object value) {
        if (value instanceof PackedList packed) { // a map's results, read in place or made packed (IntChunks)
            return packed.packed();
        }
        byte[] scalar = Packed.writeScalar(value);
        if (scalar != null) {
            return scalar;
        }
        if (value instanceof List<?> list && !list.isEmpty()) {
            byte[] packed = Packed.write(list);
            if (packed != null) {
                return packed;
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("value of class=" + (value == null ? "null" : value.getClass().getName())
                    + " cannot be sent to another JVM: " + e, e);
        }
        return bytes.toByteArray();
    }

    /** As {@link #write}, for a view of a list (a map's slice of its inputs): packed from it, or copied to serialize. */
    static byte[] writeList(List<?> list) {
        byte[] packed = list.isEmpty() ? null : Packed.write(list);
        return packed != null ? packed : write(new java.util.ArrayList<>(list));
    }

    /**
     * @throws IllegalArgumentException if the bytes are corrupt or name a class this JVM does not have
     */
    static Object read(byte[] bytes) {
        if (bytes.length > 0 && bytes[0] != SERIALIZED) {
            return Packed.read(bytes);
        }
        try (ObjectInputStream in = new LoaderStream(bytes)) {
            in.setObjectInputFilter(BOUNDS);
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalArgumentException("a value from another JVM could not be read: " + e, e);
        }
    }

    /** The bytes of {@code error} as a {@link RemoteException} chain. */
    static byte[] writeError(Throwable error) {
        return write(remote(error, 0));
    }

    /** The {@link RemoteException} {@link #writeError} made the bytes of. */
    static RemoteException readError(byte[] bytes) {
        return (RemoteException) read(bytes);
    }

    private static RemoteException remote(Throwable error, int depth) {
        if (error instanceof RemoteException remote && depth == 0) {
            return remote;
        }
        Throwable cause = error.getCause();
        RemoteException remoteCause = cause == null || cause == error || depth + 1 >= MAX_CAUSES ? null
                : remote(cause, depth + 1);
        String className = error instanceof RemoteException r ? r.remoteClassName() : error.getClass().getName();
        String message = error instanceof RemoteException r ? r.remoteMessage() : error.getMessage();
        return new RemoteException(className, message, error.getStackTrace(), remoteCause);
    }

    /** Resolves classes with the loader of this module (the application's, in a worker). */
    private static final class LoaderStream extends ObjectInputStream {
        LoaderStream(byte[] bytes) throws IOException {
            super(new ByteArrayInputStream(bytes));
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            try {
                return Class.forName(desc.getName(), false, context != null ? context : Payloads.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }

    /** Lists of one boxed primitive type: a tag byte, the count (int), the values (big-endian); read as a {@link PackedList}. */
    private static final class Packed {
        private static final byte INTS = PackedList.INTS;
        private static final byte LONGS = PackedList.LONGS;
        private static final byte DOUBLES = PackedList.DOUBLES;
        private static final byte NULL = 4;
        private static final byte INT = 5;
        private static final byte LONG = 6;
        private static final byte STRING = 7;
        private static final int MAX_STRING = 1 << 16;

        /** @return the bytes of a null, Integer, Long or short String, else null */
        static byte[] writeScalar(Object value) {
            return switch (value) {
                case null -> new byte[] {NULL};
                case Integer i -> ByteBuffer.allocate(5).put(INT).putInt(i).array();
                case Long l -> ByteBuffer.allocate(9).put(LONG).putLong(l).array();
                case String text when text.length() <= MAX_STRING -> {
                    byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    yield ByteBuffer.allocate(1 + utf8.length).put(STRING).put(utf8).array();
                }
                default -> null;
            };
        }

        /** @return the bytes, or null if the list is not all of one of the packed types (none null) */
        static byte[] write(List<?> list) {
            Class<?> type = list.getFirst() == null ? null : list.getFirst().getClass();
            byte tag = type == Integer.class ? INTS : type == Long.class ? LONGS : type == Double.class ? DOUBLES : 0;
            if (tag == 0) {
                return null;
            }
            ByteBuffer out = ByteBuffer.allocate(5 + PackedList.width(tag) * list.size());
            out.put(tag).putInt(list.size());
            for (Object value : list) {
                if (value == null || value.getClass() != type) {
                    return null;
                }
                switch (tag) {
                    case INTS -> out.putInt((Integer) value);
                    case LONGS -> out.putLong((Long) value);
                    default -> out.putDouble((Double) value);
                }
            }
            return out.array();
        }

        static Object read(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte tag = in.get();
            switch (tag) {
                case NULL -> {
                    return null;
                }
                case INT -> {
                    return in.getInt();
                }
                case LONG -> {
                    return in.getLong();
                }
                case STRING -> {
                    return new String(bytes, 1, bytes.length - 1, java.nio.charset.StandardCharsets.UTF_8);
                }
                default -> {
                    return readList(tag, in, bytes);
                }
            }
        }

        private static List<Object> readList(byte tag, ByteBuffer in, byte[] bytes) {
            int count = in.getInt();
            if (tag < INTS || tag > DOUBLES || count < 0 || (long) count * PackedList.width(tag) != in.remaining()) {
                throw new IllegalArgumentException("a packed list from another JVM is corrupt: tag=" + tag
                        + " count=" + count + " bytes=" + bytes.length);
            }
            return new PackedList(bytes);
        }
    }
}
