package io.millrace.actors.codec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link TypeRegistry} in this process's memory: ids in order of first use. */
final class InMemoryTypeRegistry implements TypeRegistry {
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    @Override
    public synchronized int idOf(String className) {
        if (className == null || className.isEmpty()) {
            throw new IllegalArgumentException("className=" + className + " must be a class name");
        }
        return ids.computeIfAbsent(className, n -> {
            names.add(n);
            return names.size() - 1;
        });
    }

    @Override
    public synchronized String nameOf(int id) {
        if (id < 0 || id >= names.size()) {
            throw new CodecException("no type registered under id=" + id + " (registered: " + names.size() + ")");
        }
        return names.get(id);
    }

    @Override
    public synchronized String toString() {
        return "InMemoryTypeRegistry[" + names.size() + " types]";
    }
}
