package io.millrace.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.millrace.shm.Jvm;
import io.millrace.shm.RegionSpec;
import io.millrace.shm.ShmDirectory;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code millrace demo} end to end: a real child JVM as the raw ring's producer, then the pipeline's worker JVMs
 * (two generators, the Reactor stage) and the joinable actors in this one.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoCommandTest {
    private static final Pattern PRODUCER_PID = Pattern.compile("child JVM pid (\\d+)");
    private static final Pattern ROW = Pattern.compile("^  (raw ring|generator \\d|reactor stage|actors)"
            + ".*?\\s+(\\d+)\\s+([\\d,]+)\\s+[\\d.]+ s\\s+[\\d,]+/s$", Pattern.MULTILINE);
    private static final Pattern CHECKSUM = Pattern.compile("checksum verified: ([\\d,]+) messages, checksum "
            + "(0x[0-9a-f]{16}) on both sides");

    @RegisterExtension
    final ShmTestDirectory dir = new ShmTestDirectory();

    @Test
    void shouldStreamVerifyAndCleanUp() throws IOException {
        Cli.Result result = Cli.run("demo", "--messages=20000", "--records=5000", "--seed=7",
                "--dir", dir.path().toString());

        assertThat(result.exitCode()).as("exit code; stderr: %s", result.err()).isZero();
        assertThat(result.err()).isEmpty();
        Matcher verified = CHECKSUM.matcher(result.out());
        assertThat(verified.find()).as("a verified checksum in:%n%s", result.out()).isTrue();
        assertThat(verified.group(1)).isEqualTo("20,000");
        assertThat(result.out())
                .contains("received 20,000 messages")
                .contains("it reports 20,000 messages sent, checksum " + verified.group(2))
                .contains("removed region demo-" + ProcessHandle.current().pid())
                .containsPattern("throughput: [\\d,]+ msgs/s, [\\d,.]+ MiB/s")
                .contains("pipeline verified")
                .contains("stopped the workers and the actors")
                .endsWith("verified\n");
        Map<String, String[]> rows = rows(result.out());
        assertThat(rows).containsOnlyKeys("raw ring", "generator 0", "generator 1", "reactor stage", "actors");
        assertThat(rows.get("raw ring")[1]).isEqualTo("20,000");
        assertThat(rows.get("generator 0")[1]).isEqualTo("5,000");
        assertThat(rows.get("generator 1")[1]).isEqualTo("5,000");
        // the stage drops a reading in 8 on average; the actors merged what it sent, in this JVM
        assertThat(rows.get("actors")[1]).isEqualTo(rows.get("reactor stage")[1]);
        assertThat(rows.get("actors")[0]).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        assertThat(Stream.of("raw ring", "generator 0", "generator 1", "reactor stage").map(s -> rows.get(s)[0]))
                .as("each stage in a JVM of its own").doesNotHaveDuplicates()
                .doesNotContain(Long.toString(ProcessHandle.current().pid()));
        assertProducerReaped(result.out());
        assertThat(dir.files()).isEmpty();
    }

    @Test
    void shouldSendTheSameChecksumForTheSameSeed() throws IOException {
        String first = checksumOf(Cli.run("demo", "--messages=3000", "--records=500", "--seed=11",
                "--dir", dir.path().toString()));
        String again = checksumOf(Cli.run("demo", "--messages=3000", "--records=500", "--seed=11",
                "--dir", dir.path().toString()));
        String other = checksumOf(Cli.run("demo", "--messages=3000", "--records=500", "--seed=12",
                "--dir", dir.path().toString()));

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(dir.files()).isEmpty();
    }

    @Test
    void shouldReportAProducerThatDiesAndExitNonZero() throws IOException {
        // The ring holds at most ~44,000 of the smallest messages, so when 1,000 have arrived the producer is far
        // from done with 1,000,000; the demo kills it there.
        Cli.Result result = Cli.run("demo", "--messages=1000000", "--kill-producer-after=1000",
                "--dir", dir.path().toString());

        assertThat(result.exitCode()).isEqualTo(1);
        // Whichever notices first, the ring (PeerGoneException) or the child's exit, reports the same death:
        // the producer's pid, SIGKILL's exit code 137, and how far it got.
        assertThat(result.err()).containsPattern("FAILED: the producer \\(pid \\d+.*code 137.* of 1,000,000");
        assertThat(result.out()).contains("removed region demo-").doesNotContain("checksum verified");
        assertProducerReaped(result.out());
        assertThat(dir.files()).isEmpty();
    }

    @Test
    void shouldReportPipelineWorkersKilledMidStreamAndExitNonZeroWithoutLeftovers() throws IOException {
        // 2 x 100,000 readings, the workers killed once 200 have reached the actors: far from done
        Cli.Result result = Cli.run("demo", "--messages=1000", "--records=100000", "--kill-workers-after=200",
                "--dir", dir.path().toString());

        assertThat(result.exitCode()).as("stderr: %s", result.err()).isEqualTo(1);
        // whichever is noticed first: a generator's worker death (its pid and SIGKILL's -9), or the stage's stream
        // failing (the stage's or a generator's death, naming the pid) as the aggregators' failure
        assertThat(result.err()).containsPattern("FAILED: .*(pid[= ]\\d+|PUBLISHER_DIED).*of the stage's readings had"
                + " arrived");
        assertThat(result.out()).contains("stopped the workers and the actors").endsWith("NOT verified\n")
                .doesNotContain("pipeline verified");
        assertProducerReaped(result.out());
        assertThat(dir.files()).isEmpty();
    }

    @Test
    void shouldStopEveryJvmAndRemoveEveryFileWhenTerminatedMidPipeline() throws Exception {
        // the shutdown hook that Ctrl-C runs (SIGTERM runs the same), in a demo JVM of its own
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process demo = new ProcessBuilder(java, Jvm.NATIVE_ACCESS_FLAG, "-cp", System.getProperty("java.class.path"),
                MillraceCli.class.getName(), "demo", "--messages=1000", "--records=5000000",
                "--dir", dir.path().toString()).redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(demo.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null && !line.contains("pipeline: ")) {
                // up to the pipeline's start
            }
            assertThat(line).as("the pipeline started").isNotNull();
            List<ProcessHandle> children = demo.descendants().toList();
            assertThat(children).as("its worker JVMs").hasSizeGreaterThanOrEqualTo(DemoPipeline.GENERATORS + 1);

            demo.toHandle().destroy(); // SIGTERM, leaving its output readable (Process.destroy closes the streams)
            List<String> after = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread drain = Thread.ofPlatform().daemon().start(() -> {
                try {
                    lines.lines().forEach(after::add);
                } catch (java.io.UncheckedIOException closedOnExit) {
                    // the process ended
                }
            });
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("the demo exited").isTrue();
            drain.join(10_000);
            assertThat(after).as("its output after the signal").anyMatch(l -> l.contains("millrace demo: interrupted"))
                    .noneMatch(l -> l.contains("FAILED")).noneMatch(l -> l.matches("\\[pool-.*INFO.*"));
            for (ProcessHandle child : children) {
                assertThat(child.onExit().get(30, TimeUnit.SECONDS).isAlive()).as("child pid %d", child.pid())
                        .isFalse();
            }
        } finally {
            demo.destroyForcibly();
        }
        assertThat(dir.files()).isEmpty();
    }

    @Test
    void shouldRefuseNoRecords() {
        Cli.Result result = Cli.run("demo", "--records=0", "--dir", dir.path().toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--records");
    }

    @Test
    void shouldTakeAnotherNameWhenALeftoverHoldsItsOwn() throws IOException {
        String own = "demo-" + ProcessHandle.current().pid();
        ShmDirectory directory = ShmDirectory.at(dir.path());
        directory.create(RegionSpec.named(own).atomicLong("x").build()).close();
        try {
            Cli.Result result = Cli.run("demo", "--messages=100", "--records=100", "--dir", dir.path().toString());

            assertThat(result.exitCode()).as("stderr: %s", result.err()).isZero();
            assertThat(result.out()).contains("created region " + own + "-1 in ")
                    .contains("removed region " + own + "-1");
            assertThat(dir.files()).containsExactly(own + ".region");
        } finally {
            directory.unlink(own);
        }
    }

    /** The table's rows by stage: pid, elements. */
    private static Map<String, String[]> rows(String out) {
        Map<String, String[]> rows = new LinkedHashMap<>();
        Matcher row = ROW.matcher(out);
        while (row.find()) {
            rows.put(row.group(1), new String[] {row.group(2), row.group(3)});
        }
        return rows;
    }

    private static String checksumOf(Cli.Result result) {
        assertThat(result.exitCode()).as("exit code; stderr: %s", result.err()).isZero();
        assertProducerReaped(result.out());
        Matcher verified = CHECKSUM.matcher(result.out());
        assertThat(verified.find()).as("a verified checksum in:%n%s", result.out()).isTrue();
        return verified.group(2);
    }

    private static void assertProducerReaped(String out) {
        Matcher pid = PRODUCER_PID.matcher(out);
        assertThat(pid.find()).as("the producer's pid in:%n%s", out).isTrue();
        long producer = Long.parseLong(pid.group(1));
        assertThat(ProcessHandle.of(producer).filter(ProcessHandle::isAlive)).as("producer pid %d", producer)
                .isEmpty();
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive)).isEmpty();
    }
}
