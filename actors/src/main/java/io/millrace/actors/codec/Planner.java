package io.millrace.actors.codec;

import io.millrace.actors.ActorRef;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides how each class is carried and builds its {@link ValuePlan} once: the one place that says what the codec
 * supports. Plans are built under this object's lock; a record's plan is entered into the build before its
 * components are resolved, so recursive records ({@code record Node(int value, Node next)}) terminate, and a build
 * that fails on some component leaves nothing behind.
 */
final class Planner {
    private static final MethodHandle SLOT_READ;
    private static final MethodHandle SLOT_WRITE;
    private static final MethodHandle SLOT_SIZE;
    private static final MethodHandle ADD;
    private static final MethodHandle IS_NULL;
    private static final MethodHandle WRITE_BYTE;
    private static final MethodHandle WRITE_VARINT;
    private static final MethodHandle READ_PRESENT;
    private static final MethodHandle CHECK_COUNT;
    private static final MethodHandle[] PRIMITIVE_READ = new MethodHandle[Wire.DOUBLE + 1];
    private static final MethodHandle[] PRIMITIVE_WRITE = new MethodHandle[Wire.DOUBLE + 1];

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SLOT_READ = lookup.findVirtual(Slot.class, "read", MethodType.methodType(Object.class, Reader.class));
            SLOT_WRITE = lookup.findVirtual(Slot.class, "write",
                    MethodType.methodType(void.class, Object.class, Writer.class));
            SLOT_SIZE = lookup.findVirtual(Slot.class, "size",
                    MethodType.methodType(int.class, Object.class, int.class));
            ADD = lookup.findStatic(Math.class, "addExact", MethodType.methodType(int.class, int.class, int.class));
            IS_NULL = lookup.findStatic(java.util.Objects.class, "isNull",
                    MethodType.methodType(boolean.class, Object.class));
            WRITE_BYTE = lookup.findVirtual(Writer.class, "writeByte", MethodType.methodType(void.class, int.class));
            WRITE_VARINT = lookup.findVirtual(Writer.class, "writeVarint",
                    MethodType.methodType(void.class, int.class));
            READ_PRESENT = lookup.findVirtual(Reader.class, "readPresent", MethodType.methodType(boolean.class));
            CHECK_COUNT = lookup.findStatic(RecordPlan.class, "checkCount",
                    MethodType.methodType(void.class, Reader.class, int.class, Class.class));
            String[] names = {null, "Boolean", "Byte", "Short", "Char", "Int", "Long", "Float", "Double"};
            Class<?>[] types = {null, boolean.class, byte.class, short.class, char.class, int.class, long.class,
                    float.class, double.class};
            for (int kind = Wire.BOOLEAN; kind <= Wire.DOUBLE; kind++) {
                PRIMITIVE_READ[kind] = lookup.findVirtual(Reader.class, "read" + names[kind],
                        MethodType.methodType(types[kind]));
                PRIMITIVE_WRITE[kind] = lookup.findVirtual(Writer.class, "write" + names[kind],
                        MethodType.methodType(void.class, types[kind]));
            }
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MessageCodec codec;
    private final Map<Class<?>, ValuePlan> builtins = new HashMap<>();
    private final Map<Class<?>, Codec<?>> customs = new HashMap<>();
    /** Every plan built so far, by class; guarded by this. */
    private final Map<Class<?>, ValuePlan> done = new HashMap<>();
    private final ActorRefPlan actorRef;
    private final ContainerPlan anyList;
    private final ContainerPlan anySet;
    private final ContainerPlan anyMap;
    private final ContainerPlan anyOptional;

    Planner(MessageCodec codec, BuiltinPlan[] builtinPlans) {
        this.codec = codec;
        for (BuiltinPlan plan : builtinPlans) {
            if (plan != null) {
                builtins.put(plan.type, plan);
            }
        }
        actorRef = new ActorRefPlan(codec);
        anyList = new ContainerPlan(Wire.LIST, dynamic("java.util.List", "[element]"), null);
        anySet = new ContainerPlan(Wire.SET, dynamic("java.util.Set", "[element]"), null);
        anyMap = new ContainerPlan(Wire.MAP, dynamic("java.util.Map", "[key]"), dynamic("java.util.Map", "[value]"));
        anyOptional = new ContainerPlan(Wire.OPTIONAL, dynamic("java.util.Optional", "[value]"), null);
    }

    /** The plans of the containers and ActorRef that values in dynamic slots decode through. */
    ValuePlan[] sharedPlans() {
        return new ValuePlan[]{anyList, anySet, anyMap, anyOptional, actorRef};
    }

    private Slot dynamic(String owner, String field) {
        return new Slot(codec, null, owner, field);
    }

    synchronized <T> void register(Class<T> type, Codec<T> userCodec) {
        if (builtins.containsKey(type) || type.isPrimitive() || type.isInterface() || type.isArray()
                || ActorRef.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)
                || Map.class.isAssignableFrom(type) || type == Optional.class) {
            throw new IllegalArgumentException("type=" + type.getName() + " is carried by the codec itself;"
                    + " register a Codec for a class of your own");
        }
        if (done.containsKey(type) || customs.containsKey(type)) {
            throw new IllegalStateException("type=" + type.getName() + " already has a plan: register its Codec"
                    + " before the first message that uses it");
        }
        customs.put(type, userCodec);
    }

    /** Whether a class named in a type id may be decoded: only the kinds of class the codec itself encodes. */
    synchronized boolean admits(Class<?> type) {
        return type.isRecord() || type.isEnum() || customs.containsKey(type);
    }

    /** The plan for values of exactly {@code type} (a value's runtime class). */
    synchronized ValuePlan planFor(Class<?> type) {
        Map<Class<?>, ValuePlan> building = new HashMap<>();
        ValuePlan plan = classify(type, building);
        if (plan == null) {
            throw new UnsupportedMessageException(type.getName(), null, type.getName(), reason(type));
        }
        done.putAll(building);
        return plan;
    }

    /** Checks a declared message type: a class as {@link #planFor}, an interface through what it permits. */
    synchronized void check(Class<?> type) {
        Map<Class<?>, ValuePlan> building = new HashMap<>();
        slot(type, type.getName(), null, building);
        done.putAll(building);
    }

    private ValuePlan classify(Class<?> type, Map<Class<?>, ValuePlan> building) {
        ValuePlan plan = builtins.get(type);
        if (plan == null) {
            plan = done.get(type);
        }
        if (plan == null) {
            plan = building.get(type);
        }
        if (plan != null) {
            return plan;
        }
        Codec<?> custom = customs.get(type);
        if (custom != null) {
            plan = custom(type, custom);
        } else if (type.isRecord()) {
            return record(type, building);
        } else if (type.isEnum()) {
            plan = new EnumPlan(type);
        } else if (type.getSuperclass() != null && type.getSuperclass().isEnum()) {
            return classify(type.getSuperclass(), building); // a constant with a body
        } else if (ActorRef.class.isAssignableFrom(type)) {
            return actorRef;
        } else if (List.class.isAssignableFrom(type)) {
            return anyList;
        } else if (Set.class.isAssignableFrom(type)) {
            return anySet;
        } else if (Map.class.isAssignableFrom(type)) {
            return anyMap;
        } else if (type == Optional.class) {
            return anyOptional;
        } else {
            return null;
        }
        building.put(type, plan);
        return plan;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ValuePlan custom(Class<?> type, Codec<?> custom) {
        return new CustomPlan(type, custom);
    }

    private static String reason(Class<?> type) {
        if (type.isHidden() || type.isSynthetic() || type.getName().contains("$$Lambda")) {
            return "a lambda or hidden class cannot travel between processes; send a record";
        }
        if (type.isArray()) {
            return "only arrays of primitives are carried; use a List";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "only List, Set, Map and Optional are carried";
        }
        return "not a record, an enum, a sealed interface of records or a supported JDK type, and no Codec is"
                + " registered for it (MessageCodec.register)";
    }

    private RecordPlan record(Class<?> type, Map<Class<?>, ValuePlan> building) {
        RecordPlan plan = new RecordPlan(type);
        building.put(type, plan);
        MethodHandles.Lookup lookup = lookupFor(type);
        RecordComponent[] components = type.getRecordComponents();
        int n = components.length;
        MethodHandle[] readers = new MethodHandle[n];
        Class<?>[] types = new Class<?>[n];
        int fixedSize = Wire.varintSize(n);
        MethodHandle writer = MethodHandles.empty(MethodType.methodType(void.class, Object.class, Writer.class));
        MethodHandle sizer = null;
        try {
            MethodHandle[] writers = new MethodHandle[n];
            for (int i = 0; i < n; i++) {
                RecordComponent component = components[i];
                Class<?> c = component.getType();
                types[i] = c;
                MethodHandle getter = lookup.unreflect(component.getAccessor());
                if (c.isPrimitive()) {
                    int kind = primitiveKind(c);
                    fixedSize += primitiveSize(kind);
                    readers[i] = PRIMITIVE_READ[kind];
                    // (Writer, c)void -> (Writer, Object record)void -> (Object record, Writer)void
                    MethodHandle write = MethodHandles.filterArguments(PRIMITIVE_WRITE[kind], 1,
                            getter.asType(MethodType.methodType(c, Object.class)));
                    writers[i] = MethodHandles.permuteArguments(write,
                            MethodType.methodType(void.class, Object.class, Writer.class), 1, 0);
                } else {
                    Slot slot = slot(component.getGenericType(), type.getName(), component.getName(), building);
                    MethodHandle get = getter.asType(MethodType.methodType(Object.class, Object.class));
                    readers[i] = slotReader(slot).asType(MethodType.methodType(c, Reader.class));
                    writers[i] = MethodHandles.filterArguments(slotWriter(slot), 0, get);
                    MethodHandle size = MethodHandles.filterArguments(SLOT_SIZE.bindTo(slot), 0, get);
                    sizer = sizer == null ? size : sum(size, sizer);
                }
            }
            for (int i = n - 1; i >= 0; i--) {
                writer = MethodHandles.foldArguments(writer, writers[i]); // writers[i] first, then the rest
            }
            MethodHandle constructor = lookup.findConstructor(type, MethodType.methodType(void.class, types));
            plan.init(n, fixedSize, sizer, writer, constructorReader(constructor, readers, types));
        } catch (IllegalAccessException | NoSuchMethodException e) {
            throw new UnsupportedMessageException(type.getName(), null, type.getName(),
                    "its accessors or canonical constructor are not accessible to the codec (make the record and"
                    + " its enclosing classes public, or add 'opens " + type.getPackageName()
                    + " to io.millrace.actors;' to the module-info of " + type.getModule() + "): " + e.getMessage());
        }
        return plan;
    }

    /**
     * {@code (Object value, Writer)void} for a slot. A slot of a record type whose plan is complete writes the null
     * flag, the count and the components through that record's own handle, so they compile into the enclosing
     * record's code; other slots (a record still being planned, as in a recursive record, and every other type) call
     * {@link Slot#write}, which also counts the depth. Inlined levels need no depth count: they follow the declared
     * types, which a complete plan cannot nest in a cycle.
     */
    private static MethodHandle slotWriter(Slot slot) {
        if (slot.plan() instanceof RecordPlan record && record.writer() != null) {
            MethodHandle header = MethodHandles.insertArguments(WRITE_VARINT, 1, record.fieldCount()); // (Writer)V
            MethodHandle present = MethodHandles.foldArguments(record.writer(),
                    MethodHandles.dropArguments(header, 0, Object.class));
            present = MethodHandles.foldArguments(present,
                    MethodHandles.dropArguments(MethodHandles.insertArguments(WRITE_BYTE, 1, 1), 0, Object.class));
            MethodHandle absent = MethodHandles.dropArguments(MethodHandles.insertArguments(WRITE_BYTE, 1, 0), 0,
                    Object.class);
            return MethodHandles.guardWithTest(MethodHandles.dropArguments(IS_NULL, 1, Writer.class), absent, present);
        }
        return SLOT_WRITE.bindTo(slot);
    }

    /** {@code (Reader)Object} for a slot: as {@link #slotWriter}, a complete record's reader inlined. */
    private static MethodHandle slotReader(Slot slot) {
        if (slot.plan() instanceof RecordPlan record && record.reader() != null) {
            MethodHandle check = MethodHandles.insertArguments(CHECK_COUNT, 1, record.fieldCount(), record.type);
            MethodHandle present = MethodHandles.foldArguments(record.reader(), check);
            MethodHandle absent = MethodHandles.dropArguments(MethodHandles.constant(Object.class, null), 0,
                    Reader.class);
            return MethodHandles.guardWithTest(READ_PRESENT, present, absent);
        }
        return SLOT_READ.bindTo(slot);
    }

    /** {@code (Object, int)int}: {@code a(record, depth) + b(record, depth)}. */
    private static MethodHandle sum(MethodHandle a, MethodHandle b) {
        MethodHandle h = MethodHandles.collectArguments(ADD, 1, b); // (int, Object, int)int
        h = MethodHandles.collectArguments(h, 0, a); // (Object, int, Object, int)int
        return MethodHandles.permuteArguments(h, MethodType.methodType(int.class, Object.class, int.class), 0, 1, 0, 1);
    }

    private static int primitiveSize(int kind) {
        return switch (kind) {
            case Wire.BOOLEAN, Wire.BYTE -> 1;
            case Wire.SHORT, Wire.CHAR -> 2;
            case Wire.INT, Wire.FLOAT -> 4;
            default -> 8;
        };
    }

    /**
     * {@code (Reader)Object}: the constructor with argument i replaced by {@code readers[i](reader)}. Folding from
     * the last argument to the first makes the first reader the outermost filter, so the components are read in
     * declaration order.
     */
    private static MethodHandle constructorReader(MethodHandle constructor, MethodHandle[] readers, Class<?>[] types) {
        MethodHandle h = constructor.asType(constructor.type().changeReturnType(Object.class));
        h = MethodHandles.dropArguments(h, 0, Reader.class); // (Reader, T0..Tn-1)
        for (int i = types.length - 1; i >= 0; i--) {
            h = MethodHandles.collectArguments(h, i + 1, readers[i]); // (Reader, T0..Ti-1, Reader)
            Class<?>[] params = new Class<?>[i + 1];
            params[0] = Reader.class;
            System.arraycopy(types, 0, params, 1, i);
            int[] reorder = new int[i + 2];
            for (int k = 1; k <= i; k++) {
                reorder[k] = k;
            }
            h = MethodHandles.permuteArguments(h, MethodType.methodType(Object.class, params), reorder);
        }
        return h;
    }

    private static MethodHandles.Lookup lookupFor(Class<?> type) {
        Module codec = Planner.class.getModule();
        codec.addReads(type.getModule()); // a named module reads only what it requires; a lookup needs readability
        try {
            return MethodHandles.privateLookupIn(type, MethodHandles.lookup());
        } catch (IllegalAccessException e) {
            if (Modifier.isPublic(type.getModifiers()) && type.getModule().isExported(type.getPackageName(), codec)) {
                return MethodHandles.lookup(); // public members of a package exported to this module: no opens needed
            }
            throw new UnsupportedMessageException(type.getName(), null, type.getName(), "its package "
                    + type.getPackageName() + " is neither exported nor open to the codec: add 'opens "
                    + type.getPackageName() + " to " + (codec.isNamed() ? codec.getName() : "io.millrace.actors")
                    + ";' to the module-info of " + type.getModule() + " (" + e.getMessage() + ")");
        }
    }

    private static int primitiveKind(Class<?> c) {
        if (c == boolean.class) {
            return Wire.BOOLEAN;
        } else if (c == byte.class) {
            return Wire.BYTE;
        } else if (c == short.class) {
            return Wire.SHORT;
        } else if (c == char.class) {
            return Wire.CHAR;
        } else if (c == int.class) {
            return Wire.INT;
        } else if (c == long.class) {
            return Wire.LONG;
        } else if (c == float.class) {
            return Wire.FLOAT;
        }
        return Wire.DOUBLE;
    }

    /** The slot for a reference declared as {@code type} at {@code owner.field}. */
    private Slot slot(Type type, String owner, String field, Map<Class<?>, ValuePlan> building) {
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class || raw == Set.class || raw == Optional.class) {
                int kind = raw == List.class ? Wire.LIST : raw == Set.class ? Wire.SET : Wire.OPTIONAL;
                Slot element = slot(args[0], owner, field + "[element]", building);
                return new Slot(codec, new ContainerPlan(kind, element, null), owner, field);
            }
            if (raw == Map.class) {
                Slot key = slot(args[0], owner, field + "[key]", building);
                Slot value = slot(args[1], owner, field + "[value]", building);
                return new Slot(codec, new ContainerPlan(Wire.MAP, key, value), owner, field);
            }
            return slot(raw, owner, field, building);
        }
        if (type instanceof WildcardType w) {
            return slot(w.getUpperBounds()[0], owner, field, building);
        }
        if (type instanceof TypeVariable<?> v) {
            return slot(v.getBounds()[0], owner, field, building);
        }
        if (!(type instanceof Class<?> c) || type instanceof GenericArrayType) {
            throw new UnsupportedMessageException(owner, field, type.getTypeName(),
                    "generic arrays are not carried; use a List");
        }
        if (c.isPrimitive()) {
            throw new UnsupportedMessageException(owner, field, c.getName(), "a primitive where a reference is due");
        }
        if (c == ActorRef.class) {
            return new Slot(codec, actorRef, owner, field);
        }
        if (c == List.class || c == Set.class || c == Map.class || c == Optional.class) {
            return new Slot(codec, c == List.class ? anyList : c == Set.class ? anySet : c == Map.class ? anyMap
                    : anyOptional, owner, field);
        }
        if (!customs.containsKey(c) && (Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c))) {
            throw new UnsupportedMessageException(owner, field, c.getName(),
                    "declare it as List, Set or Map (decoded collections are unmodifiable)");
        }
        if (c.isInterface() || (Modifier.isAbstract(c.getModifiers()) && !c.isArray() && !customs.containsKey(c))
                || c == Object.class) {
            if (c.isSealed()) {
                checkPermitted(c, owner, field, building);
            }
            return new Slot(codec, null, owner, field);
        }
        ValuePlan plan = classify(c, building);
        if (plan == null) {
            throw new UnsupportedMessageException(owner, field, c.getName(), reason(c));
        }
        return new Slot(codec, plan, owner, field);
    }

    private void checkPermitted(Class<?> sealed, String owner, String field, Map<Class<?>, ValuePlan> building) {
        for (Class<?> permitted : sealed.getPermittedSubclasses()) {
            if (permitted.isInterface() || Modifier.isAbstract(permitted.getModifiers())) {
                if (permitted.isSealed()) {
                    checkPermitted(permitted, owner, field, building);
                }
            } else if (classify(permitted, building) == null) {
                throw new UnsupportedMessageException(owner, field, permitted.getName(), "it is permitted by "
                        + sealed.getName() + " and " + reason(permitted));
            }
        }
    }
}
