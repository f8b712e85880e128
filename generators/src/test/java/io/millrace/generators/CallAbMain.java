package io.millrace.generators;

import java.time.Duration;
import java.util.Arrays;

/**
 * A/B of a no-op {@code pool.call}'s round trip (perf/EXPERIMENTS.md): its result through the pool's lane and an
 * unpark (A, {@code pool.replies().enabled(false)}) against straight into the caller's reply slot (B),
 * alternating rounds of {@code calls} on one warm pool of 2 workers. Not a test: run by hand with the test classpath,
 * {@code java -cp ... io.millrace.generators.CallAbMain [rounds] [calls] [lowLatency]}.
 */
public final class CallAbMain {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private CallAbMain() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        boolean lowLatency = args.length <= 2 || Boolean.parseBoolean(args[2]);
        SerializableCallable<Integer> noop = () -> 0;
        BenchPool.run("call-ab", lowLatency, pool -> {
            for (int i = 0; i < 3000; i++) {
                pool.replies().enabled((i & 1) == 0);
                pool.call(noop, WAIT); // warm-up: JIT of both paths on both sides
            }
            long[] took = new long[calls];
            for (int round = 0; round < rounds; round++) {
                for (boolean slots : new boolean[] {false, true}) {
                    pool.replies().enabled(slots);
                    for (int i = 0; i < calls; i++) {
                        long start = System.nanoTime();
                        pool.call(noop, WAIT);
                        took[i] = System.nanoTime() - start;
                    }
                    Arrays.sort(took);
                    System.out.printf("lowLatency=%s %s p50=%.1f us p99=%.1f us%n", lowLatency,
                            slots ? "slot" : "lane", took[calls / 2] / 1e3, took[calls * 99 / 100] / 1e3);
                }
            }
        });
    }
}
