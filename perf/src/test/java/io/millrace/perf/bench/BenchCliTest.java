package io.millrace.perf.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCliTest {

    private record Run(int exitCode, String out, String err) { }

    private static Run execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = BenchCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static Harness.Config parse(String... args) {
        CommandLine cli = BenchCli.commandLine();
        CommandLine.ParseResult result = cli.parseArgs(args);
        BenchCommand bench = result.subcommand().commandSpec().commandLine().getCommand();
        return bench.config();
    }

    @Test
    void shouldRejectABadSizeNamingTheOptionAndTheValue() {
        Run run = execute("bench", "--sizes", "64,12x");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--sizes").contains("'12x' is not a message size in bytes");
    }

    @Test
    void shouldRejectASizeOutOfRange() {
        Run run = execute("bench", "--sizes", "4");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--sizes").contains("'4' is outside the message sizes");
    }

    @Test
    void shouldRejectAnUnknownSystemListingTheKnownOnes() {
        Run run = execute("bench", "--systems", "agrona,zeromq");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--systems").contains("'zeromq' is not a system").contains("agrona,aeron");
    }

    @Test
    void shouldRejectAnUnknownScenario() {
        Run run = execute("bench", "--scenarios", "broadcast");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--scenarios").contains("'broadcast' is not a scenario");
    }

    @Test
    void shouldRejectFewerThanThreeRepetitions() {
        Run run = execute("bench", "--reps", "2", "--systems", "limit");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--reps").contains("at least 3");
    }

    @Test
    void shouldParseFiltersAndSizeSuffixes() {
        Harness.Config c = parse("bench", "--systems", "tcp,limit,agrona", "--scenarios", "pingpong,spsc",
                "--sizes", "64,1KiB,64k", "--work-dir", "/tmp/w");
        assertThat(c.systems()).extracting(BenchSystem::name).containsExactly("limit", "agrona", "tcp");
        assertThat(c.scenarios()).containsExactly(Scenario.PINGPONG, Scenario.SPSC);
        assertThat(c.sizes()).containsExactly(64, 1024, 65536);
        assertThat(c.workDir()).isEqualTo(Path.of("/tmp/w"));
        assertThat(c.reps()).isEqualTo(5);
    }

    @Test
    void shouldUseShortRepetitionsForQuick() {
        Harness.Config c = parse("bench", "--quick");
        assertThat(c.reps()).isEqualTo(3);
        assertThat(c.repMs()).isLessThan(1000);
        assertThat(c.systems()).extracting(BenchSystem::name).containsAll(List.of("limit", "agrona", "aeron",
                "chronicle", "pipe", "uds", "tcp", "python-pipe", "python-queue"));
        assertThat(c.scenarios()).containsExactly(Scenario.SPSC, Scenario.MPSC3, Scenario.PINGPONG);
        assertThat(c.sizes()).containsExactly(64, 1024, 65536);
    }

    @Test
    void shouldParseTheNewScenariosAndSystemsAndTellWhetherSizesWereNamed() {
        Harness.Config c = parse("bench", "--systems", "pekko-artery,ring,rsocket-tcp,python-pool", "--scenarios",
                "actor-tell,flux-request1,worker-start");
        assertThat(c.systems()).extracting(BenchSystem::name)
                .containsExactly("ring", "pekko-artery", "rsocket-tcp", "python-pool");
        assertThat(c.scenarios()).containsExactly(Scenario.ACTOR_TELL, Scenario.FLUX_REQUEST1, Scenario.WORKER_START);
        assertThat(c.explicitSizes()).isFalse();
        assertThat(parse("bench", "--scenarios", "actor-tell", "--sizes", "1KiB").explicitSizes()).isTrue();
    }

    @Test
    void shouldListTheNewScenariosInTheHelp() {
        Run run = execute("bench", "--help");
        assertThat(run.out()).contains("actor-fanin").contains("flux-stream").contains("parallel-map")
                .contains("pekko-artery");
    }

    @Test
    void shouldNameEveryScenarioInTheHelpAsTheUserTypedTheCommand() {
        Run run = execute("bench", "--help");
        String help = run.out().replaceAll("\\s+", " ");
        assertThat(run.exitCode()).isZero();
        assertThat(help).startsWith("Usage: millrace bench ");
        for (Scenario scenario : Scenario.values()) {
            assertThat(help).as("scenario=%s in bench --help", scenario.id()).contains(scenario.id());
        }
    }

    @Test
    void shouldParseSizes() {
        assertThat(Sizes.parse("64")).isEqualTo(64);
        assertThat(Sizes.parse("1KiB")).isEqualTo(1024);
        assertThat(Sizes.parse("64k")).isEqualTo(65536);
        assertThat(Sizes.parse("1MiB")).isEqualTo(1 << 20);
        assertThat(Sizes.parse("128B")).isEqualTo(128);
        assertThat(Sizes.format(64)).isEqualTo("64 B");
        assertThat(Sizes.format(1024)).isEqualTo("1 KiB");
        assertThat(Sizes.format(65536)).isEqualTo("64 KiB");
        assertThat(Sizes.format(1000)).isEqualTo("1000 B");
    }
}
