package io.millrace.actors.internal;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ServiceKey;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Registrations of this node only, in memory. */
final class LocalReceptionistBacking implements ReceptionistBacking {

    private final Map<ServiceKey<?>, Set<ActorRef<?>>> services = new HashMap<>();

    @Override
    public boolean register(ServiceKey<?> key, ActorRef<?> service) {
        return services.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(service);
    }

    @Override
    public boolean deregister(ServiceKey<?> key, ActorRef<?> service) {
        Set<ActorRef<?>> set = services.get(key);
        if (set == null || !set.remove(service)) {
            return false;
        }
        if (set.isEmpty()) {
            services.remove(key);
        }
        return true;
    }

    @Override
    public Set<ActorRef<?>> find(ServiceKey<?> key) {
        Set<ActorRef<?>> set = services.get(key);
        return set == null ? Set.of() : Set.copyOf(set);
    }

    @Override
    public Set<ServiceKey<?>> removeAll(ActorRef<?> service) {
        Set<ServiceKey<?>> keys = new HashSet<>();
        services.entrySet().removeIf(entry -> {
            if (entry.getValue().remove(service)) {
                keys.add(entry.getKey());
            }
            return entry.getValue().isEmpty();
        });
        return keys;
    }
}
