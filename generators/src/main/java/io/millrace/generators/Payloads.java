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

/**
 * The data between a parent and its workers (task inputs, results, snapshots, generator elements, errors): Java
 * serialization, the only form that carries any {@link Serializable} value. Code goes through {@code Shipping}
 * (whose filter admits only what code is made of); data is whatever the user's code returns, so its filter bounds
 * only size, depth and references. The trust boundary is the OS user, as for the rings: the bytes come from a
 * process of the same user through files only that user can open.
 *
 * <p>A throwable travels as a {@link RemoteException} chain (class name, message, stack trace of each cause), so
 * the receiver needs none of the original classes.
 */
final class Payloads {
    private static final long MAX_BYTES = 1L << 30;
    private static final long MAX_DEPTH = 1_000;
    private static final int MAX_CAUSES = 16;
    private static final ObjectInputFilter BOUNDS = info -> info.streamBytes() > MAX_BYTES
            || info.depth() > MAX_DEPTH ? ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.UNDECIDED;

    private Payloads() {
    }

    /**
     * @throws IllegalArgumentException if {@code value} is not serializable, naming its class and what it holds
     */
    static byte[] write(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new IllegalArgumentException("value of class=" + (value == null ? "null" : value.getClass().getName())
                    + " cannot be sent to another JVM: " + e, e);
        }
        return bytes.toByteArray();
    }

    /**
     * @throws IllegalArgumentException if the bytes are corrupt or name a class this JVM does not have
     */
    static Object read(byte[] bytes) {
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
}
