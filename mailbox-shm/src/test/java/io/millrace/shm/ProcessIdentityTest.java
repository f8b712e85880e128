package io.millrace.shm;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProcessIdentityTest {

    @Test
    void shouldTakeOnlyAGoneEntryForADeadProcess() {
        assertThat(ProcessIdentity.isGone(new NoSuchFileException("/proc/4242/stat"))).isTrue();
        assertThat(ProcessIdentity.isGone(new IOException("No such process"))).isTrue();
        // out of file descriptors: the peer may well be alive, so it must not be judged dead
        assertThat(ProcessIdentity.isGone(new IOException("Too many open files"))).isFalse();
        assertThat(ProcessIdentity.isGone(new IOException("Permission denied"))).isFalse();
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
}
