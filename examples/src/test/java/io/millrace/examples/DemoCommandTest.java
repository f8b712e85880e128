package io.millrace.examples;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.millrace.shm.RegionSpec;
import io.millrace.shm.ShmDirectory;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code millrace demo} end to end, with a real child JVM as the producer. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoCommandTest {
    private static final Pattern PRODUCER_PID = Pattern.compile("child JVM pid (\\d+)");
    private static final Pattern CHECKSUM = Pattern.compile("checksum verified: ([\\d,]+) messages, checksum "
            + "(0x[0-9a-f]{16}) on both sides");

    @RegisterExtension
    final ShmTestDirectory dir = new ShmTestDirectory();

    @Test
    void shouldStreamVerifyAndCleanUp() throws IOException {
        Cli.Result result = Cli.run("demo", "--messages=20000", "--seed=7", "--dir", dir.path().toString());

        assertThat(result.exitCode()).as("exit code; stderr: %s", result.err()).isZero();
        assertThat(result.err()).isEmpty();
        Matcher verified = CHECKSUM.matcher(result.out());
        assertThat(verified.find()).as("a verified checksum in:%n%s", result.out()).isTrue();
        assertThat(verified.group(1)).isEqualTo("20,000");
        assertThat(result.out())
                .contains("received 20,000 messages")
                .contains("it reports 20,000 messages sent, checksum " + verified.group(2))
                .contains("removed region demo-" + ProcessHandle.current().pid())
                .containsPattern("throughput: [\\d,]+ msgs/s, [\\d,.]+ MiB/s");
        assertProducerReaped(result.out());
        assertThat(dir.files()).isEmpty();
    }

    @Test
    void shouldSendTheSameChecksumForTheSameSeed() throws IOException {
        String first = checksumOf(Cli.run("demo", "--messages=3000", "--seed=11", "--dir", dir.path().toString()));
        String again = checksumOf(Cli.run("demo", "--messages=3000", "--seed=11", "--dir", dir.path().toString()));
        String other = checksumOf(Cli.run("demo", "--messages=3000", "--seed=12", "--dir", dir.path().toString()));

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
    void shouldTakeAnotherNameWhenALeftoverHoldsItsOwn() throws IOException {
        String own = "demo-" + ProcessHandle.current().pid();
        ShmDirectory directory = ShmDirectory.at(dir.path());
        directory.create(RegionSpec.named(own).atomicLong("x").build()).close();
        try {
            Cli.Result result = Cli.run("demo", "--messages=100", "--dir", dir.path().toString());

            assertThat(result.exitCode()).as("stderr: %s", result.err()).isZero();
            assertThat(result.out()).contains("created region " + own + "-1 in ")
                    .contains("removed region " + own + "-1");
            assertThat(dir.files()).containsExactly(own + ".region");
        } finally {
            directory.unlink(own);
        }
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
