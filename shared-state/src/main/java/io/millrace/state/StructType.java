package io.millrace.state;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A struct declaration checked and laid out: from an interface of accessors ({@link #of}) or from a record's
 * components ({@link #ofRecord}). Building one checks everything a declaration can get wrong, and each error names
 * the field; the flyweight class of an interface is generated once, here.
 *
 * <p>Fields: {@code long}, {@code int}, {@code double}, {@code float} (with {@code addX} and
 * {@code compareAndSetX}), {@code short}, {@code char}, {@code byte}, {@code boolean}, and {@code String} (UTF-8) or
 * {@code byte[]} with a {@link Length}. {@link Padded} puts a field alone on 128 bytes.
 *
 * @param <T> the flyweight type: the interface, or {@link RecordStruct} of the record
 */
public final class StructType<T> {
    private static final List<String> RESERVED = List.of("snapshot", "update", "index");

    final Class<?> declaration;
    final Class<? extends Record> recordType;
    final StructLayout layout;
    /** The record's canonical constructor, taking the fields in record-component order. */
    final MethodHandle constructor;
    /** Per record component, in component order: the layout's field. */
    final List<StructLayout.Field> componentOrder;
    /** Per record component, in component order: its accessor, {@code (Record) -> Object}. */
    final List<MethodHandle> accessors;
    /** (StructArray, int index) → T. */
    final MethodHandle factory;

    private StructType(Class<?> declaration, Class<? extends Record> recordType, List<StructLayout.Declared> declared,
                       boolean generate) {
        this.declaration = declaration;
        this.recordType = recordType;
        this.layout = new StructLayout(declaration, declared);
        MethodHandles.Lookup lookup = lookupIn(recordType);
        RecordComponent[] components = recordType.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        List<StructLayout.Field> order = new ArrayList<>();
        List<MethodHandle> accessorList = new ArrayList<>();
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                order.add(layout.field(components[i].getName()));
                accessorList.add(lookup.unreflect(components[i].getAccessor())
                        .asType(MethodType.methodType(Object.class, Record.class)));
            }
            this.componentOrder = List.copyOf(order);
            this.accessors = List.copyOf(accessorList);
            this.constructor = lookup.findConstructor(recordType, MethodType.methodType(void.class, types))
                    .asSpreader(Object[].class, types.length);
        } catch (ReflectiveOperationException e) {
            throw new StructDeclarationException(declaration, null, "cannot reach the canonical constructor or accessors of "
                    + recordType.getName() + ": " + e);
        }
        this.factory = generate ? StructGenerator.generate(declaration, layout) : RecordStruct.FACTORY;
    }

    /**
     * Checks and lays out the struct interface {@code type}: public, extending {@link Struct}{@code <R>} where
     * {@code R} is a record whose components are the struct's fields (same names and types). Each getter
     * ({@code long balance()}) declares a field; {@code void balance(long)}, {@code addBalance},
     * {@code compareAndSetBalance} are optional; {@link Length} and {@link Padded} go on the getter.
     *
     * @param type the struct interface
     * @param <T>  the interface
     * @return the checked type, whose flyweights {@link StructArray} hands out
     * @throws StructDeclarationException naming the field or method at fault
     */
    public static <T extends Struct<?>> StructType<T> of(Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (!type.isInterface() || !Modifier.isPublic(type.getModifiers())) {
            throw new StructDeclarationException(type, null, "a struct declaration must be a public interface");
        }
        Class<? extends Record> record = recordArgument(type);
        Map<String, Method> getters = new TreeMap<>(); // sorted: the same checks and errors in every JVM
        List<Method> others = new ArrayList<>();
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() == Struct.class || m.isDefault() || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            if (m.getParameterCount() == 0 && m.getReturnType() != void.class) {
                checkName(type, m.getName());
                getters.put(m.getName(), m);
            } else {
                others.add(m);
            }
        }
        Map<String, String> lowerCase = new HashMap<>();
        for (String name : getters.keySet()) {
            String clash = lowerCase.put(name.toLowerCase(Locale.ROOT), name);
            if (clash != null) {
                throw new StructDeclarationException(type, name, "clashes with field '" + clash
                        + "': their addX/compareAndSetX accessors would share a name");
            }
        }
        List<StructLayout.Declared> declared = new ArrayList<>();
        for (Method getter : getters.values()) {
            declared.add(declare(type, getter.getName(), getter.getReturnType(), getter.getAnnotation(Length.class),
                    getter.isAnnotationPresent(Padded.class)));
        }
        for (Method m : others) {
            checkAccessor(type, m, getters);
        }
        matchRecord(type, record, getters);
        return new StructType<>(type, record, declared, true);
    }

    /**
     * Lays out the components of {@code record} as a struct ({@link Length} and {@link Padded} on components): its
     * flyweight is a {@link RecordStruct}, whose fields are reached by name.
     *
     * @param record a record class
     * @param <R>    the record
     * @return the checked type
     * @throws StructDeclarationException naming the component at fault
     */
    public static <R extends Record> StructType<RecordStruct<R>> ofRecord(Class<R> record) {
        Objects.requireNonNull(record, "record");
        if (!record.isRecord()) {
            throw new StructDeclarationException(record, null, "not a record");
        }
        List<StructLayout.Declared> declared = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            checkName(record, c.getName());
            declared.add(declare(record, c.getName(), c.getType(), c.getAnnotation(Length.class),
                    c.isAnnotationPresent(Padded.class)));
        }
        if (declared.isEmpty()) {
            throw new StructDeclarationException(record, null, "a struct needs at least one field");
        }
        return new StructType<>(record, record, declared, false);
    }

    /** {@return the record type of the struct's whole value} */
    public Class<? extends Record> recordType() {
        return recordType;
    }

    /** {@return bytes one element takes in a region} */
    public long elementBytes() {
        return layout.stride;
    }

    /** {@return the layout spelled out: each field's name, kind and offset, as the schema check compares them} */
    public String schema() {
        return layout.schema();
    }

    @Override
    public String toString() {
        return "StructType[" + declaration.getName() + ": " + layout.schema() + "]";
    }

    private static void checkName(Class<?> type, String name) {
        if (RESERVED.contains(name)) {
            throw new StructDeclarationException(type, name, "the name is taken by Struct's own " + name + "()");
        }
    }

    private static StructLayout.Declared declare(Class<?> type, String name, Class<?> fieldType, Length length,
                                                 boolean padded) {
        FieldKind kind = FieldKind.of(fieldType);
        if (kind == null) {
            throw new StructDeclarationException(type, name, "type " + fieldType.getName() + " is not supported (long,"
                    + " int, double, float, short, char, byte, boolean, String and byte[] with @Length)");
        }
        int capacity = 0;
        if (kind.hasLength()) {
            if (length == null) {
                throw new StructDeclarationException(type, name, "a " + fieldType.getSimpleName()
                        + " field needs @Length(bytes)");
            }
            if (length.value() < 1 || length.value() > 65535) {
                throw new StructDeclarationException(type, name, "@Length(" + length.value()
                        + ") must be between 1 and 65535");
            }
            capacity = length.value();
        } else if (length != null) {
            throw new StructDeclarationException(type, name, "@Length applies to String and byte[] fields only");
        }
        return new StructLayout.Declared(name, kind, capacity, padded);
    }

    private static void checkAccessor(Class<?> type, Method m, Map<String, Method> getters) {
        String name = m.getName();
        Class<?>[] params = m.getParameterTypes();
        if (params.length == 1 && m.getReturnType() == void.class && getters.containsKey(name)) {
            requireType(type, name, m, params[0], getters.get(name));
            return;
        }
        String field = fieldOf(name, "add", getters);
        if (field != null && params.length == 1) {
            Method getter = getters.get(field);
            requireNumeric(type, field, m, getter);
            requireType(type, field, m, params[0], getter);
            if (m.getReturnType() != void.class && m.getReturnType() != getter.getReturnType()) {
                throw new StructDeclarationException(type, field, "method " + name + " must return void or "
                        + getter.getReturnType().getName());
            }
            return;
        }
        field = fieldOf(name, "compareAndSet", getters);
        if (field != null && params.length == 2) {
            Method getter = getters.get(field);
            requireNumeric(type, field, m, getter);
            requireType(type, field, m, params[0], getter);
            requireType(type, field, m, params[1], getter);
            if (m.getReturnType() != boolean.class) {
                throw new StructDeclarationException(type, field, "method " + name + " must return boolean");
            }
            return;
        }
        throw new StructDeclarationException(type, name, "method " + m + " is no accessor of a field: expected T x(),"
                + " void x(T), T addX(T), boolean compareAndSetX(T, T) for a field x");
    }

    private static String fieldOf(String method, String prefix, Map<String, Method> getters) {
        if (method.length() <= prefix.length() || !method.startsWith(prefix)) {
            return null;
        }
        String rest = method.substring(prefix.length());
        String field = Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
        return getters.containsKey(field) ? field : null;
    }

    private static void requireNumeric(Class<?> type, String field, Method m, Method getter) {
        FieldKind kind = FieldKind.of(getter.getReturnType());
        if (kind == null || !kind.numeric) {
            throw new StructDeclarationException(type, field, "method " + m.getName() + " needs a long, int, double"
                    + " or float field, not " + getter.getReturnType().getName());
        }
    }

    private static void requireType(Class<?> type, String field, Method m, Class<?> param, Method getter) {
        if (param != getter.getReturnType()) {
            throw new StructDeclarationException(type, field, "method " + m.getName() + " takes " + param.getName()
                    + " but the field is " + getter.getReturnType().getName());
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Record> recordArgument(Class<?> type) {
        for (Type t : type.getGenericInterfaces()) {
            if (t instanceof ParameterizedType p && p.getRawType() == Struct.class
                    && p.getActualTypeArguments()[0] instanceof Class<?> c && c.isRecord()) {
                return (Class<? extends Record>) c;
            }
        }
        throw new StructDeclarationException(type, null, "must extend Struct<R> directly, R a record of its fields");
    }

    private static void matchRecord(Class<?> type, Class<? extends Record> record, Map<String, Method> getters) {
        Map<String, Class<?>> components = new LinkedHashMap<>();
        for (RecordComponent c : record.getRecordComponents()) {
            components.put(c.getName(), c.getType());
        }
        for (Method getter : getters.values()) {
            Class<?> componentType = components.get(getter.getName());
            if (componentType == null) {
                throw new StructDeclarationException(type, getter.getName(), "record " + record.getSimpleName()
                        + " has no component of that name");
            }
            if (componentType != getter.getReturnType()) {
                throw new StructDeclarationException(type, getter.getName(), "record " + record.getSimpleName()
                        + " declares it " + componentType.getName() + ", the getter " + getter.getReturnType().getName());
            }
        }
        for (String component : components.keySet()) {
            if (!getters.containsKey(component)) {
                throw new StructDeclarationException(type, component, "record " + record.getSimpleName()
                        + " has this component but the interface has no getter for it");
            }
        }
    }

    private static MethodHandles.Lookup lookupIn(Class<?> type) {
        try {
            readModuleOf(type);
            return MethodHandles.privateLookupIn(type, MethodHandles.lookup());
        } catch (IllegalAccessException e) {
            throw new StructDeclarationException(type, null, "its package is not open to io.millrace.state: add 'opens "
                    + type.getPackageName() + " to io.millrace.state;' to " + type.getModule() + ": " + e);
        }
    }

    /**
     * On the module path, this module reads the user's module of {@code type}, as a flyweight implementing it and
     * a private lookup in it need (a no-op on the class path, where every module is read).
     */
    static void readModuleOf(Class<?> type) {
        StructType.class.getModule().addReads(type.getModule());
    }
}
