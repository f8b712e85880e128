package io.millrace.generators;

import io.millrace.reactive.RemoteException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tasks on a warm pool of real worker JVMs. */
class WorkerPoolTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PoolDirectory DIR = new PoolDirectory(2);

    @Test
    void shouldRunTheTaskInAWorkerJvmAndReturnItsResult() throws Exception {
        long pid = DIR.pool().call(() -> ProcessHandle.current().pid(), WAIT);

        assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(DIR.pool().workerPids()).contains(pid);
        assertThat(DIR.pool().submit(() -> List.of("a", 1, 2.5)).get(60, TimeUnit.SECONDS))
                .containsExactly("a", 1, 2.5);
    }

    @Test
    void shouldRethrowTheTasksExceptionAsARemoteExceptionWithItsClassMessageAndStackTrace() {
        SerializableCallable<Integer> failing = () -> {
            throw new IllegalStateException("boom in the child", new ArithmeticException("root"));
        };

        assertThatThrownBy(() -> DIR.pool().call(failing, WAIT)).isInstanceOfSatisfying(RemoteException.class, e -> {
            assertThat(e.remoteClassName()).isEqualTo(IllegalStateException.class.getName());
            assertThat(e.remoteMessage()).isEqualTo("boom in the child");
            assertThat(e.getStackTrace()).anySatisfy(frame ->
                    assertThat(frame.getClassName()).isEqualTo(WorkerPoolTest.class.getName()));
            assertThat(e.getCause().remoteClassName()).isEqualTo(ArithmeticException.class.getName());
        });
        assertThatThrownBy(() -> DIR.pool().submit(failing).get(60, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(RemoteException.class);
    }

    @Test
    void shouldRefuseALambdaCapturingANonSerializableValueBeforeAnyWorkerIsAsked() {
        Thread captured = Thread.currentThread();
        SerializableCallable<String> task = () -> captured.getName();

        assertThatThrownBy(() -> DIR.pool().submit(task)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("captures a java.lang.Thread");
        assertThatThrownBy(() -> Processes.start(DIR.pool(), task)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("captures a java.lang.Thread");
    }

    @Test
    void shouldFailTheTaskOfAWorkerKilledMidTaskNamingItsPidAndStatusAndReplaceTheWorker() throws Exception {
        assertThatThrownBy(() -> DIR.pool().call(() -> {
            ChildState.killSelf();
            return 0;
        }, WAIT)).isInstanceOfSatisfying(WorkerDiedException.class, e -> {
            assertThat(e.exitStatus()).isEqualTo(-9);
            assertThat(e.getMessage()).contains("pid=" + e.pid()).contains("status=-9");
        });

        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pids.add(DIR.pool().call(() -> ProcessHandle.current().pid(), WAIT));
        }
        assertThat(pids).allSatisfy(pid -> assertThat(DIR.pool().workerPids()).contains(pid));
        assertThat(DIR.pool().workerPids()).hasSize(2);
    }

    @Test
    void shouldGiveOneCallersSequentialCallsToTheWorkerItFreedLast() throws Exception {
        // idle workers are taken last-in first-out, so that a lowLatency pool keeps one lane spinning, not all
        long first = DIR.pool().call(() -> ProcessHandle.current().pid(), WAIT);
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pids.add(DIR.pool().call(() -> ProcessHandle.current().pid(), WAIT));
        }
        assertThat(pids).as("every call after the first, on the worker the previous one freed").containsOnly(first);
    }

    @Test
    void shouldRunTheTaskAgainOnAnotherWorkerWhenItsWorkerDiedAndRetriesWereAsked(@TempDir Path markers)
            throws Exception {
        String marker = markers.resolve("died-once").toString();

        long pid = DIR.pool().submit(() -> {
            ChildState.killSelfTheFirstTime(marker);
            return ProcessHandle.current().pid();
        }, 1).get(60, TimeUnit.SECONDS);

        assertThat(DIR.pool().workerPids()).contains(pid);
        assertThatThrownBy(() -> DIR.pool().submit(() -> 1, -1)).hasMessageContaining("retries=-1");
    }

    @Test
    void shouldReplaceAWorkerAfterMaxTasksAndRunTheInitializerAndJvmOptionsInEachOne() throws Exception {
        try (WorkerPool recycling = WorkerPool.builder().size(1).maxTasksPerWorker(2).baseDirectory(DIR.path())
                .jvmOption("-Dmillrace.test.option=on")
                .initializer(() -> System.setProperty("millrace.test.init", "" + ProcessHandle.current().pid()))
                .build()) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                seen.add(recycling.call(() -> ProcessHandle.current().pid() + " " + System.getProperty(
                        "millrace.test.init") + " " + System.getProperty("millrace.test.option"), WAIT));
            }

            assertThat(seen.get(0)).isEqualTo(seen.get(1));
            assertThat(seen.get(2)).isEqualTo(seen.get(3)).isNotEqualTo(seen.get(1));
            assertThat(seen).allSatisfy(line -> {
                String[] parts = line.split(" ");
                assertThat(parts[1]).isEqualTo(parts[0]);
                assertThat(parts[2]).isEqualTo("on");
            });
        }
    }

    @Test
    void shouldBreakThePoolWithTheReasonWhenTheInitializerFails() {
        try (WorkerPool broken = WorkerPool.builder().size(1).baseDirectory(DIR.path())
                .initializer(() -> {
                    throw new IllegalStateException("no config");
                }).build()) {
            assertThatThrownBy(() -> broken.call(() -> 1, WAIT)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("initializer failed").rootCause().hasMessageContaining("no config");
        }
    }

    @Test
    void shouldBreakThePoolInsteadOfHangingWhenWorkersCannotStart() {
        try (WorkerPool unstartable = WorkerPool.builder().size(1).baseDirectory(DIR.path())
                .jvmOption("-XX:+NoSuchMillraceOption").build()) {
            assertThatThrownBy(() -> unstartable.call(() -> 1, WAIT)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("before it was ready").hasMessageContaining("NoSuchMillraceOption");
            assertThatThrownBy(() -> unstartable.submit(() -> 1)).hasMessageContaining("is broken");
        }
    }

    @Test
    void shouldLeaveNoFilesWhenClosedWhileItsWorkersAreStillStarting() throws Exception {
        Path own = Files.createDirectory(DIR.path().resolve("closed-at-start"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        for (int i = 0; i < 3; i++) {
            WorkerPool.builder().size(2).baseDirectory(own).build().close();
        }

        try (Stream<Path> left = Files.list(own)) {
            assertThat(left.toList()).isEmpty();
        }
        Files.delete(own);
    }

    @Test
    void shouldReturnFromEveryConcurrentCloseOnlyOnceTheWorkersHaveExited() throws Exception {
        // A shutdown hook's close may run while the main thread is closing: returning at once, it let the JVM
        // exit mid-close and leave the pool's node region running (./millrace demo on SIGTERM).
        WorkerPool closing = WorkerPool.builder().size(2).baseDirectory(DIR.path()).build();
        try {
            closing.call(() -> 1, WAIT);
            List<Long> pids = closing.workerPids();
            CyclicBarrier together = new CyclicBarrier(2);
            List<CompletableFuture<List<Long>>> alive = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                CompletableFuture<List<Long>> left = new CompletableFuture<>();
                alive.add(left);
                Thread.ofPlatform().start(() -> {
                    try {
                        together.await(60, TimeUnit.SECONDS);
                        closing.close();
                        left.complete(pids.stream()
                                .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                                .toList());
                    } catch (Exception e) {
                        left.completeExceptionally(e);
                    }
                });
            }

            for (CompletableFuture<List<Long>> left : alive) {
                assertThat(left.get(60, TimeUnit.SECONDS)).as("workers alive when close returned").isEmpty();
            }
        } finally {
            closing.close();
        }
    }

    @Test
    void shouldRefuseTasksOnceClosedAndNameWrongSettings() {
        WorkerPool closed = WorkerPool.builder().size(1).baseDirectory(DIR.path()).build();
        closed.close();

        assertThatThrownBy(() -> closed.submit(() -> 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(() -> WorkerPool.builder().size(0)).hasMessageContaining("size=0");
        assertThatThrownBy(() -> WorkerPool.builder().maxTasksPerWorker(-1)).hasMessageContaining("maxTasksPerWorker=-1");
        assertThatThrownBy(() -> WorkerPool.builder().jvmOption("Xmx1g")).hasMessageContaining("jvmOption=Xmx1g");
        assertThatThrownBy(() -> DIR.pool().call(() -> 1, Duration.ZERO)).hasMessageContaining("timeout=PT0S");
    }
}
