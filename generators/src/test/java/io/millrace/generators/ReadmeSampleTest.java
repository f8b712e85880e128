package io.millrace.generators;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's generators sample runs here, line for line (but the pool's base directory, a private one). */
class ReadmeSampleTest {
    @RegisterExtension
    static final PoolDirectory DIR = new PoolDirectory();

    @Test
    void shouldRunTheReadmeSample() throws Exception {
        try (WorkerPool pool = WorkerPool.builder().size(2).maxTasksPerWorker(1000).baseDirectory(DIR.path()).build()) {
            int answer = pool.call(() -> 6 * 7, Duration.ofSeconds(10));             // as Pool.apply
            ProcessTask<Long> task = Processes.start(pool, () -> LongStream.range(0, 1_000_000).sum());
            long sum = task.result();                // its exception as a RemoteException; exitStatus() -9 if SIGKILLed
            Flux<Long> squares = Generators.flux(pool, Long.class,
                    () -> LongStream.iterate(0, i -> i + 1).map(i -> i * i).iterator());
            List<Long> first = squares.take(10).collectList().block(); // lazy: about 10 computed; cancel frees the worker
            MapOptions options = MapOptions.defaults().withPool(pool).withChunksize(100);
            List<Integer> doubled = Parallel.mapList((Integer x) -> 2 * x, List.of(1, 2, 3), options); // as Pool.map
            int[] tripled = Parallel.mapInts(x -> 3 * x, new int[] {1, 2, 3}, options); // ints: none boxed

            assertThat(answer).isEqualTo(42);
            assertThat(sum).isEqualTo(499_999_500_000L);
            assertThat(task.exitStatus()).isZero();
            assertThat(first).containsExactly(0L, 1L, 4L, 9L, 16L, 25L, 36L, 49L, 64L, 81L);
            assertThat(doubled).containsExactly(2, 4, 6);
            assertThat(tripled).containsExactly(3, 6, 9);
        }
    }

    @Test
    void shouldFindEveryLineOfTheReadmeSampleHere() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```java\n", readme.indexOf("### Functions, generators and maps")) + 8;
        List<String> sample = readme.substring(start, readme.indexOf("```", start)).lines().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("//") && !line.startsWith("try (")
                        && !line.equals("}")).toList();
        String test = Files.readString(Path.of("src/test/java/io/millrace/generators/ReadmeSampleTest.java"));
        assertThat(sample).hasSizeGreaterThan(6).allSatisfy(line -> assertThat(test).contains(line));
    }
}
