package io.millrace.actors.codec;

import io.millrace.actors.ActorPath;
import io.millrace.actors.ActorRef;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;

/**
 * Encodes messages straight into a ring's claimed slice and decodes them in place, with no intermediate
 * {@code byte[]}. Records, sealed interfaces of records, enums, primitives and their boxes, {@code String},
 * primitive arrays, {@code List}/{@code Set}/{@code Map}/{@code Optional} of those, {@link ActorRef},
 * {@code Instant} and {@code Duration} are built in, with no registration; other classes need a {@link Codec}
 * ({@link #register}). Classes are named on the wire by small ids that a {@link TypeRegistry} agrees on.
 *
 * <pre>{@code
 * MessageCodec codec = new MessageCodec(registry).resolver(system::refFor);
 * int length = codec.sizeOf(message);
 * long index = ring.tryClaim(type, length);
 * if (index >= 0) {
 *     try {
 *         codec.write(message, ring.buffer(), index, length);
 *         ring.commit(index);
 *     } catch (RuntimeException e) {
 *         ring.abort(index);
 *         throw e;
 *     }
 * }
 * // on the consumer's side, in the RecordHandler:
 * Object message = codec.read(buffer, offset, length);
 * }</pre>
 * A codec is thread-safe; each class's plan (its accessors and canonical constructor as method handles) is built once,
 * on first use or at {@link #check}.
 */
public final class MessageCodec {
    /**
     * How deep values may nest (records in records, lists in lists) before encoding or decoding stops with a
     * {@link CodecException}: deep enough for messages, shallow enough for a thread with a 256 KiB stack.
     */
    public static final int MAX_DEPTH = 64;
    /** Scratch arrays up to this size are kept per thread for strings; longer ones are allocated per use. */
    static final int MAX_SCRATCH = 1 << 16;

    private static final Function<ActorPath, ActorRef<?>> NO_SYSTEM = path -> {
        throw new CodecException("no actor system to resolve refs: path=" + path);
    };

    private final TypeRegistry registry;
    private final ClassLoader loader;
    private final Planner planner;
    private final ClassValue<ValuePlan> plans = new ClassValue<>() {
        @Override
        protected ValuePlan computeValue(Class<?> type) {
            return planner.planFor(type);
        }
    };
    /** Plans by wire id: the built-ins from the start, user types as they are met. Copy on write. */
    private volatile ValuePlan[] byWireId;
    private volatile Function<ActorPath, ActorRef<?>> resolver = NO_SYSTEM;
    private final ThreadLocal<Writer> writers = ThreadLocal.withInitial(Writer::new);
    private final ThreadLocal<Reader> readers = ThreadLocal.withInitial(Reader::new);

    /**
     * A codec whose decoding loads classes with the thread context class loader (or this class's loader).
     *
     * @param registry where class names get their ids: {@link SharedTypeRegistry} across processes
     */
    public MessageCodec(TypeRegistry registry) {
        this(registry, defaultLoader());
    }

    /**
     * @param registry where class names get their ids
     * @param loader   the class loader that decoding loads message classes with
     */
    public MessageCodec(TypeRegistry registry, ClassLoader loader) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.loader = Objects.requireNonNull(loader, "loader");
        BuiltinPlan[] builtins = BuiltinPlan.all();
        this.planner = new Planner(this, builtins);
        ValuePlan[] table = new ValuePlan[Wire.FIRST_USER_ID * 2];
        System.arraycopy(builtins, 0, table, 0, builtins.length);
        for (ValuePlan plan : planner.sharedPlans()) {
            table[plan.wireId] = plan;
        }
        this.byWireId = table;
    }

    private static ClassLoader defaultLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : MessageCodec.class.getClassLoader();
    }

    /**
     * Sets how decoded {@link ActorRef}s are found: the actor system passes its lookup of a path. Until then a
     * decoded ref fails with a {@link CodecException} ("no actor system to resolve refs").
     *
     * @param resolver returns the ref for a path; a ref to a stopped actor rather than null
     * @return this codec
     */
    public MessageCodec resolver(Function<ActorPath, ActorRef<?>> resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        return this;
    }

    /**
     * Carries {@code type} with {@code codec} instead of the built-in encoding (for a plain class, say). Register
     * before the first message that uses the type.
     *
     * @param type  a class (not an interface, array, JDK value type or collection)
     * @param codec its serializer
     * @param <T>   the type
     * @return this codec
     * @throws IllegalArgumentException if the codec carries {@code type} itself
     * @throws IllegalStateException    if a message of {@code type} was already encoded, decoded or checked
     */
    public <T> MessageCodec register(Class<T> type, Codec<T> codec) {
        planner.register(Objects.requireNonNull(type, "type"), Objects.requireNonNull(codec, "codec"));
        return this;
    }

    /**
     * Checks that messages of {@code type} can be carried, so that a runtime can refuse a behavior at spawn rather
     * than a message at {@code tell}. For an interface or abstract class, the permitted subclasses of a sealed one are
     * checked, and other implementations only when they are sent.
     *
     * @param type a message type
     * @throws UnsupportedMessageException naming the class and the component that cannot be carried
     */
    public void check(Class<?> type) {
        Objects.requireNonNull(type, "type");
        if (type.isInterface() || java.lang.reflect.Modifier.isAbstract(type.getModifiers()) && !type.isArray()) {
            planner.check(type);
        } else {
            plans.get(type);
        }
    }

    /**
     * The bytes {@link #write} will take for {@code message}. The first message of a class builds its plan and
     * registers its name.
     *
     * @param message a message, not null
     * @return its encoded length
     * @throws UnsupportedMessageException if the message holds a value the codec cannot carry
     * @throws TypeTableFullException      if its class needs a type id and the table is full
     */
    public int sizeOf(Object message) {
        Objects.requireNonNull(message, "message");
        ValuePlan plan = plans.get(message.getClass());
        try {
            return Math.addExact(Wire.varintSize(wireId(plan)), plan.size(message, 0));
        } catch (ArithmeticException e) {
            throw new CodecException("a " + message.getClass().getName() + " takes more than 2 GiB encoded");
        } catch (StackOverflowError e) {
            throw tooDeep(message.getClass().getName(), e);
        }
    }

    /**
     * Encodes {@code message} into exactly {@code length} bytes of {@code segment} at {@code offset}: the length
     * {@link #sizeOf} returned for it.
     *
     * @param message a message, not null
     * @param segment where to write, for example a ring's {@code buffer()}
     * @param offset  where the message starts, for example the index {@code tryClaim} returned
     * @param length  the message's {@link #sizeOf}
     * @throws UnsupportedMessageException if the message holds a value the codec cannot carry
     * @throws CodecException              if the encoding does not take exactly {@code length} bytes (the message
     *                                     changed since it was sized); nothing is written past the slice
     * @throws IndexOutOfBoundsException   if the slice does not lie within {@code segment}
     */
    public void write(Object message, MemorySegment segment, long offset, int length) {
        Objects.requireNonNull(message, "message");
        checkSlice(segment, offset, length);
        if (segment.isReadOnly()) {
            throw new IllegalArgumentException("segment is read-only");
        }
        ValuePlan plan = plans.get(message.getClass());
        int id = wireId(plan);
        Writer writer = writers.get();
        if (writer.inUse) {
            writer = new Writer(); // a user's Codec encoding a message of its own
        }
        writer.inUse = true;
        try {
            writer.reset(segment, offset, offset + length);
            writer.writeVarint(id);
            plan.write(message, writer);
            if (writer.position != offset + length) {
                throw new CodecException("the message took " + (writer.position - offset) + " bytes, not length="
                        + length + " (was it changed since sizeOf, or is length not its sizeOf?)");
            }
        } catch (StackOverflowError e) {
            throw tooDeep(message.getClass().getName(), e);
        } finally {
            writer.segment = null;
            writer.inUse = false;
        }
    }

    /**
     * Decodes the message of {@code length} bytes at {@code offset} of {@code segment}.
     *
     * @param segment the bytes, for example the buffer a {@code RecordHandler} gets
     * @param offset  where the message starts
     * @param length  its length: all of it must be the message
     * @return the message, a new object
     * @throws CodecException            if the bytes are not a message this codec can decode (corrupt or foreign,
     *                                   an unknown class, a class that is not a message type); it says where
     * @throws IndexOutOfBoundsException if the slice does not lie within {@code segment}
     */
    public Object read(MemorySegment segment, long offset, int length) {
        checkSlice(segment, offset, length);
        Reader reader = readers.get();
        if (reader.inUse) {
            reader = new Reader();
        }
        reader.inUse = true;
        try {
            reader.reset(segment, offset, offset + length);
            long at = reader.offset();
            int id = reader.readVarint();
            if (id == Wire.NULL) {
                throw reader.corrupt("type id=0 (null) for a message");
            }
            Object message = planOfWireId(id, at).read(reader);
            if (reader.position != offset + length) {
                throw reader.corrupt((offset + length - reader.position) + " bytes after the message");
            }
            return message;
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("corrupt message at offset=" + reader.offset() + " of length=" + length + ": "
                    + e, e);
        } catch (StackOverflowError e) {
            throw tooDeep("message at offset=" + reader.offset(), e);
        } finally {
            reader.segment = null;
            reader.inUse = false;
        }
    }

    /**
     * {@link #sizeOf} and {@link #write} into a new array: for tests and cold paths.
     *
     * @param message a message, not null
     * @return its encoding
     */
    public byte[] encode(Object message) {
        byte[] bytes = new byte[sizeOf(message)];
        write(message, MemorySegment.ofArray(bytes), 0, bytes.length);
        return bytes;
    }

    /**
     * {@link #read} of a whole array.
     *
     * @param bytes an encoding from {@link #encode} or a copy of one
     * @return the message
     */
    public Object decode(byte[] bytes) {
        return read(MemorySegment.ofArray(bytes), 0, bytes.length);
    }

    /** The thread's stack ran out before {@link #MAX_DEPTH}: reported like any message nested too deep. */
    private static CodecException tooDeep(String what, StackOverflowError e) {
        return new CodecException(what + " is nested too deep for this thread's stack (the codec stops at "
                + MAX_DEPTH + " levels)", e);
    }

    private static void checkSlice(MemorySegment segment, long offset, int length) {
        Objects.requireNonNull(segment, "segment");
        if (offset < 0 || length < 0 || offset > segment.byteSize() - length) {
            throw new IndexOutOfBoundsException("offset=" + offset + " length=" + length
                    + " is not within the segment of byteSize=" + segment.byteSize());
        }
    }

    ValuePlan planOf(Class<?> type) {
        return plans.get(type);
    }

    /** The wire id of a plan's type, asking the registry the first time. */
    int wireId(ValuePlan plan) {
        int id = plan.wireId;
        return id >= 0 ? id : assignWireId(plan);
    }

    private int assignWireId(ValuePlan plan) {
        int registered = registry.idOf(plan.type.getName());
        if (registered < 0 || registered > Integer.MAX_VALUE - Wire.FIRST_USER_ID) {
            throw new CodecException("registry " + registry + " returned id=" + registered + " for "
                    + plan.type.getName());
        }
        int id = registered + Wire.FIRST_USER_ID;
        remember(id, plan);
        plan.wireId = id;
        return id;
    }

    private synchronized void remember(int id, ValuePlan plan) {
        ValuePlan[] table = byWireId;
        if (id >= table.length) {
            table = Arrays.copyOf(table, Math.max(id + 1, table.length * 2));
        } else if (table[id] == plan) {
            return;
        } else {
            table = table.clone();
        }
        table[id] = plan;
        byWireId = table;
    }

    /** The plan of a wire id read at {@code at}: a built-in, or a class name from the registry, admitted. */
    ValuePlan planOfWireId(int id, long at) {
        ValuePlan[] table = byWireId;
        if (id >= 0 && id < table.length && table[id] != null) {
            return table[id];
        }
        if (id >= 0 && id < Wire.FIRST_USER_ID) {
            throw new CodecException("corrupt message at offset=" + at + ": no built-in type has id=" + id);
        }
        return resolveUserType(id, at);
    }

    private ValuePlan resolveUserType(int id, long at) {
        String name;
        try {
            name = registry.nameOf(id - Wire.FIRST_USER_ID);
        } catch (CodecException e) {
            throw new CodecException("corrupt message at offset=" + at + ": type id=" + Integer.toUnsignedString(id)
                    + ": " + e.getMessage(), e);
        }
        Class<?> type;
        try {
            type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CodecException("message at offset=" + at + " has type id=" + id + " of class " + name
                    + ", which " + loader + " cannot load: " + e, e);
        }
        if (!planner.admits(type)) {
            throw new CodecException("message at offset=" + at + " has type id=" + id + " of class " + name
                    + ", which is not a record, an enum or a type with a registered Codec: refused");
        }
        ValuePlan plan;
        try {
            plan = plans.get(type);
        } catch (UnsupportedMessageException e) {
            throw new CodecException("message at offset=" + at + " has type id=" + id + " of class " + name
                    + ", which the codec cannot carry: " + e.getMessage(), e);
        }
        remember(id, plan);
        return plan;
    }

    ActorRef<?> resolve(ActorPath path) {
        ActorRef<?> ref;
        try {
            ref = resolver.apply(path);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("the resolver failed for path=" + path + ": " + e, e);
        }
        if (ref == null) {
            throw new CodecException("the resolver returned null for path=" + path);
        }
        return ref;
    }

    @Override
    public String toString() {
        return "MessageCodec[registry=" + registry + "]";
    }
}
