package example.modpath;

import io.millrace.generators.Generators;
import io.millrace.generators.MapOptions;
import io.millrace.generators.Parallel;
import io.millrace.generators.WorkerPool;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Runs io.millrace.generators from module example.modpath: a pool of one worker JVM (which must come up on the
 * module path, with this module resolved) runs a shipped task, a map and a generator of this module's lambdas.
 * Prints {@code TASK <modules> ON <pid>} (the modules of the task's class and of the pool, as the worker sees them),
 * {@code MAP <sum> OF <count>}, {@code GENERATOR <elements>}, then {@code DONE}.
 */
public final class PoolApp {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private PoolApp() {
    }

    public static void main(String[] args) throws Exception {
        try (WorkerPool pool = WorkerPool.builder().size(1).build()) {
            String where = pool.call(() -> PoolApp.class.getModule().getName() + "+"
                    + WorkerPool.class.getModule().getName() + " ON " + ProcessHandle.current().pid(), WAIT);
            System.out.println("TASK " + where);
            List<Integer> doubled = Parallel.mapList(x -> 2 * x, IntStream.rangeClosed(1, 100).boxed().toList(),
                    MapOptions.defaults().withPool(pool).withChunksize(7).withTimeout(WAIT));
            System.out.println("MAP " + doubled.stream().mapToLong(Integer::longValue).sum() + " OF " + doubled.size());
            List<Integer> generated = Generators.flux(pool, Integer.class,
                    () -> IntStream.iterate(1, i -> i + 1).iterator()).take(5).collectList().block(WAIT);
            System.out.println("GENERATOR " + generated);
        }
        System.out.println("DONE");
    }
}
