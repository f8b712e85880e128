package io.millrace.generators;

import io.millrace.reactive.RemoteException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Functions in processes of their own: detached workers of a pool. */
class ProcessesTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final PoolDirectory DIR = new PoolDirectory(1);

    @Test
    void shouldReturnTheResultAndExitWithStatusZero() throws Exception {
        ProcessTask<Long> task = Processes.start(DIR.pool(), () -> ProcessHandle.current().pid());

        assertThat(task.result()).isEqualTo(task.pid()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(task.join(WAIT)).isTrue();
        assertThat(task.isAlive()).isFalse();
        assertThat(task.exitStatus()).isZero();
        assertThat(DIR.pool().workerPids()).doesNotContain(task.pid());
    }

    @Test
    void shouldRethrowTheChildsExceptionAsARemoteExceptionAndExitWithStatusOne() {
        ProcessTask<Object> task = Processes.start(DIR.pool(), () -> {
            throw new UnsupportedOperationException("not here");
        });

        assertThatThrownBy(task::result).isInstanceOfSatisfying(RemoteException.class, e -> {
            assertThat(e.remoteClassName()).isEqualTo(UnsupportedOperationException.class.getName());
            assertThat(e.remoteMessage()).isEqualTo("not here");
        });
        assertThat(task.exitStatus()).isEqualTo(1);
    }

    @Test
    void shouldSayARunningChildIsNotJoinedAndReportMinusNineOnceKilled() throws Exception {
        ProcessTask<Integer> task = Processes.start(DIR.pool(), () -> {
            Thread.sleep(120_000);
            return 1;
        });
        task.pid();

        assertThat(task.tryJoin()).isFalse();
        assertThat(task.isAlive()).isTrue();
        assertThat(task.join(Duration.ofMillis(50))).isFalse();
        assertThatThrownBy(task::exitStatus).isInstanceOf(IllegalStateException.class);

        task.kill();

        assertThatThrownBy(task::join).isInstanceOfSatisfying(WorkerDiedException.class, e -> {
            assertThat(e.exitStatus()).isEqualTo(-9);
            assertThat(e.getMessage()).contains("pid=" + task.pid()).contains("status=-9");
        });
        assertThat(task.exitStatus()).isEqualTo(-9);
        assertThat(task.isAlive()).isFalse();
    }

    @Test
    void shouldReportTheSignalOfAChildKilledFromOutside() {
        ProcessTask<Integer> task = Processes.start(DIR.pool(), () -> {
            ChildState.killSelf();
            return 1;
        });

        assertThatThrownBy(task::result).isInstanceOf(WorkerDiedException.class);
        assertThat(task.exitStatus()).isEqualTo(-9);
    }

    @Test
    void shouldMergeEachChildsSnapshotOnceSoThatTheTotalEqualsTheSequentialSum() throws Exception {
        AtomicLong total = new AtomicLong();
        List<ProcessTask<Long>> tasks = new ArrayList<>();
        for (int part = 0; part < 3; part++) {
            long from = part * 1000L;
            tasks.add(Processes.start(DIR.pool(),
                    () -> LongStream.range(from, from + 1000).map(i -> ChildState.add(i * i)).sum(),
                    ChildState::takeTotal, total::addAndGet));
        }
        for (ProcessTask<Long> task : tasks) {
            task.join();
            task.join();
            assertThat(task.tryJoin()).isTrue();
        }
        assertThat(tasks.stream().mapToLong(ProcessTask::result).sum()).isEqualTo(total.get());

        assertThat(total.get()).isEqualTo(LongStream.range(0, 3000).map(i -> i * i).sum());
    }

    @Test
    void shouldMergeNothingWhenTheChildDiesAndSayWhyAtJoin() {
        AtomicLong total = new AtomicLong();
        ProcessTask<Long> task = Processes.start(DIR.pool(), () -> {
            ChildState.add(5);
            ChildState.killSelf();
            return 0L;
        }, ChildState::takeTotal, total::addAndGet);

        assertThatThrownBy(task::join).isInstanceOf(WorkerDiedException.class).hasMessageContaining("status=-9");
        assertThat(total.get()).isZero();
    }

    @Test
    void shouldRunATaskGivenByClassNameAndRefuseAClassThatIsNoTask() throws Exception {
        assertThat(DIR.pool().call(Processes.<String>byName(NamedTask.class.getName()), WAIT)).isEqualTo("named");
        assertThat(Processes.start(DIR.pool(), Processes.<String>byName(NamedTask.class.getName())).result())
                .isEqualTo("named");

        assertThatThrownBy(() -> Processes.byName("no.such.Task")).hasMessageContaining("className=no.such.Task");
        assertThatThrownBy(() -> Processes.byName(String.class.getName())).hasMessageContaining("does not implement");
    }

    /** A task known by its name. */
    public static final class NamedTask implements java.util.concurrent.Callable<String> {
        @Override
        public String call() {
            return "named";
        }
    }

    @Test
    void shouldCancelAndOfferTheResultAsAMono() {
        ProcessTask<String> slow = Processes.start(DIR.pool(), () -> {
            Thread.sleep(120_000);
            return "late";
        });
        slow.cancel();
        assertThatThrownBy(slow::result).isInstanceOf(CancellationException.class);

        StepVerifier.create(Processes.start(DIR.pool(), () -> "hello").toMono()).expectNext("hello").verifyComplete();
    }
}
