package io.millrace.generators;

import io.millrace.actors.remote.Shipping;
import io.millrace.reactive.RemoteException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parallel maps over a pool of two real worker JVMs. */
class ParallelTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PoolDirectory DIR = new PoolDirectory(2);

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 1000, 5000, Integer.MAX_VALUE})
    void shouldKeepTheInputOrderWhateverTheChunksize(int chunksize) {
        List<Integer> inputs = new Random(chunksize).ints(1000, -1000, 1000).boxed().toList();

        List<Integer> results = Parallel.mapList(x -> x * 3 + 1, inputs, DIR.options().withChunksize(chunksize));

        assertThat(results).isEqualTo(inputs.stream().map(x -> x * 3 + 1).toList());
    }

    @Test
    void shouldSendSmallChunksSeveralToAMessageButKeepFourMessagesAWorkerAndAChunkAMessageWithAJoin() {
        List<Integer> inputs = IntStream.range(0, 1000).boxed().toList();
        long first = jobId();
        assertThat(Parallel.mapList((Integer x) -> x - 1, inputs, DIR.options().withChunksize(1))).hasSize(1000);
        assertThat(jobId() - first - 1).as("1000 chunks of 1 in messages of ceil(1000 / (4 x 2 workers))")
                .isEqualTo(8);

        long before = jobId();
        AtomicLong merged = new AtomicLong();
        List<Long> results = Parallel.mapList((Long x) -> x, LongStream.range(0, 40).boxed().toList(),
                DIR.options().withChunksize(1).withJoin(() -> 1L, merged::addAndGet));
        assertThat(results).isEqualTo(LongStream.range(0, 40).boxed().toList());
        assertThat(jobId() - before - 1).as("a chunk a message with a join").isEqualTo(40);
        assertThat(merged).hasValue(40);
    }

    /** The id of a new job of the pool (ids count up by one a job). */
    private static long jobId() {
        Job job = DIR.pool().runJob(Shipping.ship((WorkerTask) input -> input), Payloads.write(0), null, 0, true);
        assertThat(job.reply).succeedsWithin(WAIT);
        return job.id;
    }

    @Test
    void shouldDeliverEveryResultOnceUnordered() {
        List<Integer> inputs = IntStream.range(0, 500).boxed().toList();

        List<String> results = Parallel.mapUnordered((Integer x) -> "v" + x, inputs, DIR.options().withChunksize(13))
                .collectList().block(WAIT);

        assertThat(results).containsExactlyInAnyOrderElementsOf(inputs.stream().map(x -> "v" + x).toList());
    }

    @Test
    void shouldSpreadPairsOverTheFunctionsArgumentsInStarmap() {
        List<Map.Entry<String, Integer>> pairs = List.of(new AbstractMap.SimpleImmutableEntry<>("a", 2),
                Map.entry("b", 3));

        StepVerifier.create(Parallel.starmap(String::repeat, pairs, DIR.options())).expectNext("aa", "bbb")
                .expectComplete().verify(WAIT);
    }

    @Test
    void shouldMergeEachChunksSnapshotSoThatTheTotalEqualsTheSequentialSum() {
        AtomicLong total = new AtomicLong();
        List<Long> inputs = LongStream.range(0, 2000).boxed().toList();

        List<Long> squares = Parallel.mapList((Long x) -> ChildState.add(x * x), inputs,
                DIR.options().withChunksize(100).withJoin(ChildState::takeTotal, total::addAndGet));

        assertThat(total.get()).isEqualTo(LongStream.range(0, 2000).map(x -> x * x).sum());
        assertThat(squares).hasSize(2000);
    }

    @Test
    void shouldFailTheMapWithTheFunctionsException() {
        assertThatThrownBy(() -> Parallel.mapList((Integer x) -> 10 / x, List.of(1, 0, 2), DIR.options()))
                .isInstanceOf(RemoteException.class).hasMessageContaining("ArithmeticException");
    }

    @Test
    void shouldFailTheMapClearlyWhenAWorkerIsKilledMidMapAndRecover() throws Exception {
        List<Integer> inputs = IntStream.range(0, 40).boxed().toList();

        assertThatThrownBy(() -> Parallel.mapList((Integer x) -> {
            if (x == 25) {
                ChildState.killSelf();
            }
            return x;
        }, inputs, DIR.options().withChunksize(5))).isInstanceOfSatisfying(WorkerDiedException.class,
                e -> assertThat(e.exitStatus()).isEqualTo(-9));

        assertThat(Parallel.mapList((Integer x) -> x + 1, inputs, DIR.options())).hasSize(40);
    }

    @Test
    void shouldRetryTheChunkOfAKilledWorkerOnAnotherWhenAsked(@TempDir Path markers) {
        String marker = markers.resolve("died-once").toString();
        List<Integer> inputs = IntStream.range(0, 40).boxed().toList();

        List<Integer> results = Parallel.mapList((Integer x) -> {
            if (x == 17) {
                ChildState.killSelfTheFirstTime(marker);
            }
            return -x;
        }, inputs, DIR.options().withChunksize(4).withRetries(1));

        assertThat(results).isEqualTo(inputs.stream().map(x -> -x).toList());
    }

    @Test
    void shouldRefuseAFunctionCapturingANonSerializableValue() {
        Object lock = new Object();

        assertThatThrownBy(() -> Parallel.map((Integer x) -> x + lock.hashCode(), List.of(1), DIR.options()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("captures a java.lang.Object");
    }

    @Test
    void shouldChunkAsPythonDoesByDefault() {
        MapOptions two = MapOptions.defaults();

        assertThat(two.chunksize(1_000_000, DIR.pool())).isEqualTo(125_000);
        assertThat(two.chunksize(1001, DIR.pool())).isEqualTo(126);
        assertThat(two.chunksize(0, DIR.pool())).isEqualTo(1);
        assertThat(two.concurrency(DIR.pool())).isEqualTo(4);
        assertThat(two.withConcurrency(3).concurrency(DIR.pool())).isEqualTo(3);
        assertThat(Parallel.mapList((Integer x) -> x, List.<Integer>of(), DIR.options())).isEmpty();
        assertThatThrownBy(() -> two.withChunksize(0)).hasMessageContaining("chunksize=0");
        assertThatThrownBy(() -> two.withConcurrency(0)).hasMessageContaining("concurrency=0");
    }

    @Test
    void shouldFailBothChunksAWorkerHeldWhenItDies(@TempDir Path markers) throws Exception {
        WorkerPool solo = DIR.pool(WorkerPool.builder().size(1));
        long pid = warmPid(solo);
        List<Job> held = holdTwoChunksThenDie(solo, pid, markers, 0);
        Job running = held.get(0);
        Job queued = held.get(1);

        assertThat(running.reply).failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOf(WorkerDiedException.class).withMessageContaining("while running job id=" + running.id);
        assertThat(queued.reply).failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOf(WorkerDiedException.class)
                .withMessageContaining("while holding queued job id=" + queued.id);
        assertThat(solo.call(() -> 42, WAIT)).isEqualTo(42);
    }

    @Test
    void shouldRetryBothChunksAWorkerHeldWhenItDiesInOrder(@TempDir Path markers) throws Exception {
        WorkerPool solo = DIR.pool(WorkerPool.builder().size(1));
        long pid = warmPid(solo);
        List<Job> held = holdTwoChunksThenDie(solo, pid, markers, 1);
        Job running = held.get(0);
        Job queued = held.get(1);

        assertThat(PoolSupport.<Integer>value(running.reply.get(60, TimeUnit.SECONDS))).isEqualTo(-1);
        assertThat(PoolSupport.<Integer>value(queued.reply.get(60, TimeUnit.SECONDS))).isEqualTo(-2);
        assertThat(solo.workerPids()).doesNotContain(pid);
    }

    @Test
    void shouldQueueAChunkBehindEachRunningOneButNoTask(@TempDir Path markers) throws Exception {
        WorkerPool solo = DIR.pool(WorkerPool.builder().size(1));
        long pid = warmPid(solo);
        Job running = solo.runJob(holdThenDie(markers), Payloads.write(1), null, 0, true);
        Job task = solo.runJob(Shipping.ship((WorkerTask) input -> 7), null, null, 0, false);
        Job chunk = solo.runJob(holdThenDie(markers), Payloads.write(3), null, 0, true);

        assertThat(solo.jobsOf(pid)).containsExactly(running.id); // the task waits in the pool, the chunk behind it

        Files.createFile(markers.resolve("died-once")); // the held chunk returns instead of dying
        Files.createFile(markers.resolve("go"));
        assertThat(PoolSupport.<Integer>value(task.reply.get(60, TimeUnit.SECONDS))).isEqualTo(7);
        assertThat(PoolSupport.<Integer>value(chunk.reply.get(60, TimeUnit.SECONDS))).isEqualTo(-3);
        assertThat(solo.workerPids()).containsExactly(pid);
    }

    /** Two chunks on the pool's one worker, one running, one queued; then the worker kills itself. */
    private static List<Job> holdTwoChunksThenDie(WorkerPool solo, long pid, Path markers, int retries)
            throws Exception {
        Job running = solo.runJob(holdThenDie(markers), Payloads.write(1), null, retries, true);
        Job queued = solo.runJob(holdThenDie(markers), Payloads.write(2), null, retries, true);
        assertThat(solo.jobsOf(pid)).containsExactly(running.id, queued.id);
        Files.createFile(markers.resolve("go"));
        return List.of(running, queued);
    }

    private static long warmPid(WorkerPool solo) throws Exception {
        assertThat(solo.call(() -> 0, WAIT)).isZero(); // its worker is up and idle
        return solo.workerPids().getFirst();
    }

    /** A chunk task that waits for {@code go}, kills its worker the first time, and returns -input. */
    private static byte[] holdThenDie(Path markers) {
        String go = markers.resolve("go").toString();
        String died = markers.resolve("died-once").toString();
        return Shipping.ship((WorkerTask) input -> {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(Path.of(go)) && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(1_000_000); // a file is the only signal across the JVMs here
            }
            ChildState.killSelfTheFirstTime(died);
            return -(Integer) input;
        });
    }
}
