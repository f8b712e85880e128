package io.millrace.actors.remote;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.Objects;
import java.util.Set;

/**
 * Ships code to another JVM: a serializable lambda, method reference or object (a behavior factory, a task) becomes
 * bytes here and an object there, through Java serialization, the only way the JDK offers to move a lambda.
 *
 * <p>{@link #ship} refuses, before anything is sent, a lambda that is not serializable (declared with a plain
 * functional interface) and one that captures a value that is not serializable, naming the lambda and what it
 * captured. {@link #unship} reads through an {@link ObjectInputFilter} that admits only what a shipped factory is made
 * of: {@link SerializedLambda}, the classes that declared the shipped lambdas (to rebuild them), primitives and their
 * boxes, strings, enums, records, arrays of these, the JDK's immutable collections and {@code java.time} values, and
 * classes a caller names; depth, references and bytes are bounded. A rejected class is named in the exception.
 * The trust boundary stays the OS user: the bytes come from a process of the same user, through files only that user
 * can open; the filter is a second wall, not the first.
 */
public final class Shipping {
    private static final long MAX_BYTES = 16L << 20;
    private static final long MAX_DEPTH = 64;
    private static final long MAX_REFERENCES = 100_000;
    private static final Set<String> JDK_ADMITTED = Set.of(
            "java.lang.invoke.SerializedLambda", "java.lang.String", "java.lang.Number", "java.lang.Boolean",
            "java.lang.Character", "java.lang.Integer", "java.lang.Long", "java.lang.Short", "java.lang.Byte",
            "java.lang.Double", "java.lang.Float", "java.lang.Enum", "java.lang.Record", "java.lang.Object",
            "java.util.ImmutableCollections$ListN", "java.util.ImmutableCollections$List12",
            "java.util.ImmutableCollections$SetN", "java.util.ImmutableCollections$Set12",
            "java.util.ImmutableCollections$MapN", "java.util.ImmutableCollections$Map1", "java.util.CollSer",
            "java.util.Optional", "java.math.BigInteger", "java.math.BigDecimal", "java.time.Ser", "java.time.Duration",
            "java.time.Instant");

    private Shipping() {
    }

    /**
     * The bytes of {@code code}, to be {@link #unship unshipped} in another JVM of the same class path.
     *
     * @throws IllegalArgumentException if {@code code} is a lambda that is not serializable, captures a value that is
     *                                  not, or is otherwise not serializable; the message names the culprit
     */
    public static byte[] ship(Object code) {
        Objects.requireNonNull(code, "code");
        if (!(code instanceof Serializable)) {
            throw new IllegalArgumentException(describe(code) + " cannot be shipped to another JVM: it is not"
                    + " Serializable (declare the lambda with a serializable functional interface, such as"
                    + " Props' or Processes' factory types, or pass a class name)");
        }
        SerializedLambda lambda = serializedLambda(code);
        if (lambda != null) {
            for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
                Object captured = lambda.getCapturedArg(i);
                if (captured != null && !(captured instanceof Serializable)) {
                    throw new IllegalArgumentException(describe(code) + " cannot be shipped to another JVM: it"
                            + " captures a " + captured.getClass().getName() + " (captured value " + i
                            + "), which is not Serializable; capture only values that are, or pass them as"
                            + " arguments");
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(code);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException(describe(code) + " cannot be shipped to another JVM: it holds a "
                    + e.getMessage() + ", which is not Serializable", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(describe(code) + " cannot be shipped to another JVM: " + e, e);
        }
        return bytes.toByteArray();
    }

    /**
     * The object {@link #ship} made {@code bytes} of, loaded with {@code loader}.
     *
     * @param admitted further classes the caller expects inside (beyond the ones listed in the class comment)
     * @throws IllegalArgumentException if the bytes hold a class the filter rejects (named), are corrupt, or name a
     *                                  class this JVM does not have
     */
    public static Object unship(byte[] bytes, ClassLoader loader, Set<Class<?>> admitted) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(loader, "loader");
        Set<Class<?>> extra = Set.copyOf(admitted);
        String[] rejected = new String[1];
        ObjectInputFilter filter = info -> {
            if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES || info.streamBytes() > MAX_BYTES) {
                rejected[0] = "a graph beyond depth " + MAX_DEPTH + ", " + MAX_REFERENCES + " references or "
                        + MAX_BYTES + " bytes";
                return ObjectInputFilter.Status.REJECTED;
            }
            Class<?> type = info.serialClass();
            if (type == null) {
                return ObjectInputFilter.Status.UNDECIDED;
            }
            while (type.isArray()) {
                type = type.getComponentType();
            }
            if (admit(type, extra)) {
                return ObjectInputFilter.Status.ALLOWED;
            }
            rejected[0] = type.getName();
            return ObjectInputFilter.Status.REJECTED;
        };
        try (ObjectInputStream in = new LoaderInputStream(new ByteArrayInputStream(bytes), loader)) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        } catch (InvalidClassException e) {
            String culprit = rejected[0] != null ? rejected[0] : e.getMessage();
            throw new IllegalArgumentException("shipped code was refused: it holds " + culprit + ", which a spawned"
                    + " factory may not carry (admitted: lambdas, their declaring classes, primitives, strings, enums,"
                    + " records, immutable collections, java.time values)", e);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("shipped code names a class this JVM does not have: " + e.getMessage()
                    + " (is the class path the same as the sender's?)", e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("shipped code could not be read: " + e, e);
        }
    }

    private static boolean admit(Class<?> type, Set<Class<?>> extra) {
        // a hidden class cannot be named in a stream: it is a lambda that an admitted class's $deserializeLambda$ made
        if (type.isPrimitive() || type.isHidden() || type.isEnum() || type.isRecord() || extra.contains(type)
                || JDK_ADMITTED.contains(type.getName()) || Temporal.class.isAssignableFrom(type)
                && type.getName().startsWith("java.time.") || TemporalAmount.class.isAssignableFrom(type)
                && type.getName().startsWith("java.time.")) {
            return true;
        }
        // a class that declares serializable lambdas: needed to rebuild them ($deserializeLambda$)
        try {
            type.getDeclaredMethod("$deserializeLambda$", SerializedLambda.class);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static SerializedLambda serializedLambda(Object code) {
        if (!code.getClass().isSynthetic() && !code.getClass().isHidden()) {
            return null;
        }
        try {
            Method writeReplace = code.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            return writeReplace.invoke(code) instanceof SerializedLambda lambda ? lambda : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static String describe(Object code) {
        SerializedLambda lambda = code instanceof Serializable ? serializedLambda(code) : null;
        if (lambda != null) {
            return "the lambda " + lambda.getImplMethodName() + " in " + lambda.getCapturingClass().replace('/', '.');
        }
        if (code.getClass().isHidden()) {
            String name = code.getClass().getName();
            return "the lambda in " + name.substring(0, Math.max(0, name.indexOf("$$Lambda")));
        }
        return "a " + code.getClass().getName();
    }

    /** Resolves classes with a given loader. */
    private static final class LoaderInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderInputStream(ByteArrayInputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
