package io.millrace.actors.remote;

import io.millrace.actors.launch.LaunchTestMains;
import io.millrace.shm.ChildJvm;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessWatchTest {
    private final ProcessWatch watch = ProcessWatch.shared();

    @Test
    void shouldUsePidfdsOnThisLinux() {
        assertThat(watch.usesPidfd()).as("pidfd_open works on Linux 5.3+").isTrue();
    }

    @Test
    void shouldTellOfAKilledProcessAtOnce() throws Exception {
        try (ChildJvm child = ChildJvm.start(LaunchTestMains.Waiting.class)) {
            child.awaitLine("READY", Duration.ofSeconds(30));
            CountDownLatch exited = new CountDownLatch(1);
            long[] seenAt = new long[1];
            watch.watch(child.pid(), Optional.empty(), () -> {
                seenAt[0] = System.nanoTime();
                exited.countDown();
            });
            long killedAt = System.nanoTime();
            child.kill();
            assertThat(exited.await(10, TimeUnit.SECONDS)).isTrue();
            System.out.printf("exit of pid %d seen %.3f ms after the kill was sent (reaping included)%n", child.pid(),
                    (seenAt[0] - killedAt) / 1e6);
        }
    }

    @Test
    void shouldRunTheCallbackAtOnceForAProcessAlreadyGoneOrReplaced() throws Exception {
        long gone;
        try (ChildJvm child = ChildJvm.start(LaunchTestMains.Waiting.class)) {
            gone = child.pid();
            child.kill();
        }
        CountDownLatch exited = new CountDownLatch(1);
        watch.watch(gone, Optional.empty(), exited::countDown);
        assertThat(exited.getCount()).isZero();
        CountDownLatch replaced = new CountDownLatch(1);
        watch.watch(ProcessHandle.current().pid(), Optional.of(Instant.EPOCH), replaced::countDown);
        assertThat(replaced.getCount()).as("this pid started at another instant").isZero();
    }

    @Test
    void shouldNotRunACancelledWatch() throws Exception {
        try (ChildJvm child = ChildJvm.start(LaunchTestMains.Waiting.class)) {
            child.awaitLine("READY", Duration.ofSeconds(30));
            CountDownLatch cancelledOne = new CountDownLatch(1);
            CountDownLatch other = new CountDownLatch(1);
            AutoCloseable handle = watch.watch(child.pid(), Optional.empty(), cancelledOne::countDown);
            watch.watch(child.pid(), Optional.empty(), other::countDown);
            handle.close();
            child.kill();
            assertThat(other.await(10, TimeUnit.SECONDS)).isTrue(); // the watcher has seen the exit by now
            assertThat(cancelledOne.getCount()).isEqualTo(1);
        }
    }
}
