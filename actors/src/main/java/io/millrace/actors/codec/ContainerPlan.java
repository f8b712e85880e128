package io.millrace.actors.codec;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * List, Set, Map and Optional, with a slot for their elements (exact when the declared type argument allows it,
 * dynamic for {@code List<Object>}, a raw {@code List} or a value in a dynamic slot). Decoded lists, sets and maps
 * are unmodifiable and keep the encounter order; an element count is checked against the bytes that remain before
 * anything is allocated.
 */
final class ContainerPlan extends ValuePlan {
    private final int kind;
    private final Slot element;
    private final Slot value;

    ContainerPlan(int kind, Slot element, Slot value) {
        super(switch (kind) {
            case Wire.LIST -> List.class;
            case Wire.SET -> Set.class;
            case Wire.MAP -> Map.class;
            default -> Optional.class;
        }, kind);
        this.kind = kind;
        this.element = element;
        this.value = value;
    }

    @Override
    int size(Object v, int depth) {
        checkDepth(depth);
        int d = depth + 1;
        switch (kind) {
            case Wire.OPTIONAL -> {
                return element.size(((Optional<?>) v).orElse(null), d);
            }
            case Wire.MAP -> {
                Map<?, ?> map = (Map<?, ?>) v;
                long size = Wire.varintSize(map.size());
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    size += element.size(e.getKey(), d) + value.size(e.getValue(), d);
                }
                return checkSize(size);
            }
            default -> {
                Collection<?> collection = (Collection<?>) type.cast(v);
                long size = Wire.varintSize(collection.size());
                if (v instanceof List<?> list && v instanceof java.util.RandomAccess) {
                    for (int i = 0, n = list.size(); i < n; i++) {
                        size += element.size(list.get(i), d);
                    }
                } else {
                    for (Object e : collection) {
                        size += element.size(e, d);
                    }
                }
                return checkSize(size);
            }
        }
    }

    private static int checkSize(long size) {
        if (size > Integer.MAX_VALUE / 2) {
            throw new CodecException("collection of size=" + size + " bytes is too large for a message");
        }
        return (int) size;
    }

    @Override
    void write(Object v, Writer writer) {
        writer.enter();
        switch (kind) {
            case Wire.OPTIONAL -> element.write(((Optional<?>) v).orElse(null), writer);
            case Wire.MAP -> {
                Map<?, ?> map = (Map<?, ?>) v;
                int count = map.size();
                writer.writeVarint(count);
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (count-- == 0) {
                        throw grew();
                    }
                    element.write(e.getKey(), writer);
                    value.write(e.getValue(), writer);
                }
                if (count != 0) {
                    throw grew();
                }
            }
            default -> {
                Collection<?> collection = (Collection<?>) v;
                int count = collection.size();
                writer.writeVarint(count);
                if (v instanceof List<?> list && v instanceof java.util.RandomAccess) {
                    for (int i = 0; i < count; i++) {
                        element.write(list.get(i), writer);
                    }
                } else {
                    for (Object e : collection) {
                        if (count-- == 0) {
                            throw grew();
                        }
                        element.write(e, writer);
                    }
                    if (count != 0) {
                        throw grew();
                    }
                }
            }
        }
        writer.exit();
    }

    private CodecException grew() {
        return new CodecException("a " + type.getSimpleName() + " changed size while it was encoded"
                + " (was it changed by another thread?)");
    }

    @Override
    Object read(Reader reader) {
        reader.enter();
        Object result = switch (kind) {
            case Wire.OPTIONAL -> Optional.ofNullable(element.read(reader));
            case Wire.MAP -> {
                int count = reader.readCount("map entry", 2);
                Map<Object, Object> map = new LinkedHashMap<>(capacity(count));
                for (int i = 0; i < count; i++) {
                    long at = reader.offset();
                    Object key = element.read(reader);
                    if (map.containsKey(key)) {
                        throw new CodecException("corrupt message at offset=" + at + ": duplicate map key");
                    }
                    map.put(key, value.read(reader));
                }
                yield Collections.unmodifiableMap(map);
            }
            case Wire.SET -> {
                int count = reader.readCount("set element", 1);
                Set<Object> set = new LinkedHashSet<>(capacity(count));
                for (int i = 0; i < count; i++) {
                    long at = reader.offset();
                    if (!set.add(element.read(reader))) {
                        throw new CodecException("corrupt message at offset=" + at + ": duplicate set element");
                    }
                }
                yield Collections.unmodifiableSet(set);
            }
            default -> {
                int count = reader.readCount("list element", 1);
                Object[] elements = new Object[count];
                for (int i = 0; i < count; i++) {
                    elements[i] = element.read(reader);
                }
                yield Collections.unmodifiableList(Arrays.asList(elements)); // no copy, nulls kept
            }
        };
        reader.exit();
        return result;
    }

    private static int capacity(int count) {
        return (int) Math.min(1 << 30, count / 0.75 + 1);
    }
}
