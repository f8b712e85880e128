package io.millrace.actors.launch;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildJvmTest {
    private static final Duration EXIT = Duration.ofSeconds(30);

    @Test
    void shouldReportExitCodeAndKeepTheLastErrorLines() throws Exception {
        try (ChildJvm child = ChildJvm.start(ChildJvmSpec.of("exiting", LaunchTestMains.Exiting.class.getName())
                .args("7").heap("64m"))) {
            assertThat(child.awaitExit(EXIT)).isEqualTo(7);
            assertThat(child.lastErrorLines()).containsExactly("an error line");
            assertThat(child.isAlive()).isFalse();
        }
    }

    @Test
    void shouldReportMinusTheSignalForAKilledChild() throws Exception {
        try (ChildJvm child = ChildJvm.start(ChildJvmSpec.of("waiting", LaunchTestMains.Waiting.class.getName()))) {
            CompletableFuture<Integer> exit = child.onExit();
            child.kill();
            assertThat(exit.get(30, TimeUnit.SECONDS)).isEqualTo(-9);
        }
    }

    @Test
    void shouldEndAChildWhoseParentWasKilled() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        long grandchild;
        try (ChildJvm parent = startCapturing(captured, original)) {
            grandchild = awaitGrandchildPid(captured);
            assertThat(ProcessHandle.of(grandchild)).map(ProcessHandle::isAlive).contains(true);
            parent.kill(); // SIGKILL: no shutdown hook runs in the parent; only the closed pipe tells the grandchild
        } finally {
            System.setOut(original);
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(grandchild);
        if (handle.isPresent()) {
            handle.get().onExit().get(30, TimeUnit.SECONDS); // it is not our child: wait for it to go, not to reap
        }
        assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void shouldExitWithTwoAndSayWhyForAMissingMainClass() throws Exception {
        try (ChildJvm child = ChildJvm.start(ChildJvmSpec.of("missing", "no.such.Main"))) {
            assertThat(child.awaitExit(EXIT)).isEqualTo(2);
            assertThat(String.join("\n", child.lastErrorLines())).contains("cannot run no.such.Main");
        }
    }

    @Test
    void shouldRefuseAJavaThatDoesNotExist() {
        assertThatThrownBy(() -> ChildJvm.start(ChildJvmSpec.of("nojava", "x.Y").javaHome("/no/such/jdk")))
                .isInstanceOf(LaunchException.class).hasMessageContaining("nojava").hasMessageContaining("x.Y");
    }

    @Test
    void shouldStartTheChildOnTheClassPathWhenMillraceRunsOnTheClassPath() {
        // this JVM runs io.millrace.actors unnamed (class path): a module path given is not used, ModulePathTest
        // (examples) covers the named case
        var command = ChildJvmSpec.of("cp", "x.Y").modulePath("/some/modules").command();
        assertThat(command).contains("-cp", ChildMain.class.getName(), "x.Y", io.millrace.shm.Jvm.NATIVE_ACCESS_FLAG)
                .doesNotContain("--module-path", "-m");
        assertThatThrownBy(() -> ChildJvmSpec.of("ok", "x.Y").modulePath(null)).hasMessageContaining("modulePath");
    }

    @Test
    void shouldRefuseBadSpecsNamingTheValue() {
        assertThatThrownBy(() -> ChildJvmSpec.of("a/b", "x.Y")).hasMessageContaining("name=a/b");
        assertThatThrownBy(() -> ChildJvmSpec.of("ok", " ")).hasMessageContaining("mainClass=");
        assertThatThrownBy(() -> ChildJvmSpec.of("ok", "x.Y").heap("lots")).hasMessageContaining("heap=lots");
        assertThatThrownBy(() -> ChildJvmSpec.of("ok", "x.Y").jvmOption("Xmx1g")).hasMessageContaining("jvmOption=Xmx1g");
        assertThatThrownBy(() -> ChildJvmSpec.of("ok", "x.Y").env("A=B", "c")).hasMessageContaining("key=A=B");
    }

    @Test
    void shouldMapSignalExitValues() {
        assertThat(ChildJvm.exitStatus(0)).isZero();
        assertThat(ChildJvm.exitStatus(3)).isEqualTo(3);
        assertThat(ChildJvm.exitStatus(137)).isEqualTo(-9);
        assertThat(ChildJvm.exitStatus(143)).isEqualTo(-15);
    }

    private static ChildJvm startCapturing(ByteArrayOutputStream captured, PrintStream original) {
        System.setOut(new PrintStream(new TeeStream(captured, original), true, StandardCharsets.UTF_8));
        return ChildJvm.start(ChildJvmSpec.of("parent", LaunchTestMains.Parent.class.getName()));
    }

    private static long awaitGrandchildPid(ByteArrayOutputStream captured) throws InterruptedException {
        long deadline = System.nanoTime() + EXIT.toNanos();
        while (System.nanoTime() < deadline) {
            String text;
            synchronized (captured) {
                text = captured.toString(StandardCharsets.UTF_8);
            }
            int at = text.indexOf("GRANDCHILD ");
            if (at >= 0 && text.indexOf('\n', at) > 0) {
                return Long.parseLong(text.substring(at + 11, text.indexOf('\n', at)).trim());
            }
            Thread.sleep(10); // polling captured output: there is no event to await
        }
        throw new AssertionError("the parent child printed no grandchild pid: " + captured);
    }

    /** Writes to both streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final ByteArrayOutputStream copy;
        private final PrintStream out;

        TeeStream(ByteArrayOutputStream copy, PrintStream out) {
            this.copy = copy;
            this.out = out;
        }

        @Override
        public void write(int b) {
            synchronized (copy) {
                copy.write(b);
            }
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (copy) {
                copy.write(b, off, len);
            }
            out.write(b, off, len);
        }
    }
}
