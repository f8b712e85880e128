package io.millrace.shm;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ProcessIdentityTest {

    @Test
    void shouldTakeAnEntryThatCouldNotBeReadForAliveWhileItIsThere() {
        // out of file descriptors, say: the peer may well be alive, so it must not be judged dead
        assertThat(ProcessIdentity.entryExists(ProcessHandle.current().pid())).isTrue();
    }

    @Test
    void shouldKnowThisProcessOnlyByItsOwnStartTime() {
        ProcessIdentity me = ProcessIdentity.current();
        assertThat(ProcessIdentity.isAlive(me.pid(), me.startTime())).isTrue();
        assertThat(ProcessIdentity.isAlive(me.pid(), me.startTime() + 1)).as("a younger process on the same pid").isFalse();
        assertThat(ProcessIdentity.isAlive(0, me.startTime())).isFalse();
    }

    @Test
    void shouldJudgeAKilledAndReapedProcessDead() throws Exception {
        Process child = new ProcessBuilder("sleep", "60").start();
        try {
            ProcessIdentity seen = ProcessIdentity.lookup(child.pid()).orElseThrow();
            assertThat(ProcessIdentity.isAlive(seen.pid(), seen.startTime())).isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue(); // reaped: its /proc entry is gone
            // a process that reuses the pid has another start time
            assertThat(ProcessIdentity.isAlive(seen.pid(), seen.startTime())).isFalse();
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldTakeTheErrorOfReadingTheEntryOfAProcessReapedMeanwhileForGone() throws Exception {
        // ESRCH as this JDK words it: the entry was opened, then its process exited and was reaped
        Process child = new ProcessBuilder("sleep", "60").start();
        try (InputStream in = Files.newInputStream(Path.of("/proc/" + child.pid() + "/stat"))) {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            IOException e = catchThrowableOfType(IOException.class, in::readAllBytes);
            assertThat(e).as("reading the entry of a reaped process").isNotNull();
            assertThat(ProcessIdentity.entryExists(child.pid())).as("after %s", e).isFalse();
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldJudgeAZombieDead() throws Exception {
        // the grandchild is killed under a parent that never waits: a zombie until the parent goes
        Process parent = new ProcessBuilder("sh", "-c", "sleep 60 & echo $!; exec sleep 60").start();
        try {
            long pid = Long.parseLong(new BufferedReader(new InputStreamReader(parent.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine().trim());
            ProcessIdentity seen = ProcessIdentity.lookup(pid).orElseThrow();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            Path stat = Path.of("/proc/" + pid + "/stat");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(stat).contains(") Z ")) {
                assertThat(System.nanoTime()).as("pid=%d a zombie within 30 s", pid).isLessThan(deadline);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // nothing to await: the kernel's state
            }
            assertThat(ProcessIdentity.isAlive(seen.pid(), seen.startTime())).as("a zombie").isFalse();
            assertThat(ProcessIdentity.lookup(pid)).isEmpty();
        } finally {
            parent.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
