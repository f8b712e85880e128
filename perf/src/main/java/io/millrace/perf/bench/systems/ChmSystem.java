package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code chm}: {@link ConcurrentHashMap} in one JVM, the in-process reference of map-get and map-put (Long keys boxed
 * per operation, {@code byte[]} values of the row's size, the map's default concurrency).
 */
public final class ChmSystem implements BenchSystem {

    @Override
    public String name() {
        return "chm";
    }

    @Override
    public String description() {
        return "java.util.concurrent.ConcurrentHashMap<Long, byte[]> in one JVM (no process crossed): get / put of "
                + "random keys of " + Scenario.MAP_ENTRIES + " entries, each timed alone";
    }

    @Override
    public Set<Scenario> scenarios() {
        return Set.of(Scenario.MAP_GET, Scenario.MAP_PUT);
    }

    @Override
    public Optional<String> unsupported(Scenario scenario, int size) {
        return Optional.empty();
    }

    @Override
    public void run(RoleContext ctx) throws Exception {
        int entries = Scenario.MAP_ENTRIES;
        byte[] value = StateLoop.value(ctx.size());
        ConcurrentHashMap<Long, byte[]> map = new ConcurrentHashMap<>(entries * 2);
        for (int i = 0; i < entries; i++) {
            map.put((long) i, value);
        }
        StateLoop.KeyOp op = ctx.scenario() == Scenario.MAP_GET ? k -> map.get((long) k) : k -> map.put((long) k, value);
        StateLoop.latency(ctx, entries, op);
    }
}
