package io.millrace.perf.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lines children and harness exchange, and the consumer's windows over the stream. */
class ProtocolTest {

    @Test
    void shouldRoundTripControlLines() {
        ControlLine ready = ControlLine.parse(ControlLine.ready(Map.of("port", "4242"))).orElseThrow();
        assertThat(ready.kind()).isEqualTo(ControlLine.Kind.READY);
        assertThat(ready.fields()).containsEntry("port", "4242");

        RepResult r = new RepResult(2, 1000, 5000, 100L, 200L, 300L);
        assertThat(ControlLine.parse(ControlLine.result(r)).orElseThrow().toRepResult()).isEqualTo(r);
        RepResult t = RepResult.throughput(1, 10, 20);
        assertThat(ControlLine.parse(ControlLine.result(t)).orElseThrow().toRepResult()).isEqualTo(t);
        RepResult cpu = RepResult.throughput(3, 10, 2_000, 500L);
        assertThat(ControlLine.parse(ControlLine.result(cpu)).orElseThrow().toRepResult()).isEqualTo(cpu);
        assertThat(cpu.consumerCpuShare()).isEqualTo(0.25);
        assertThat(cpu.messagesPerCpuSecond()).isEqualTo(2e7);
        assertThat(t.consumerCpuShare()).isNull();
        assertThat(t.messagesPerCpuSecond()).isNull();

        ControlLine error = ControlLine.parse(ControlLine.error("boom\nsecond line")).orElseThrow();
        assertThat(error.kind()).isEqualTo(ControlLine.Kind.ERROR);
        assertThat(error.text()).isEqualTo("boom second line");
    }

    @Test
    void shouldTreatOtherOutputAsTheChildsOwn() {
        assertThat(ControlLine.parse("WARNING: something")).isEmpty();
        assertThat(ControlLine.parse("@@bench NONSENSE x=1")).isEmpty();
    }

    @Test
    void shouldEncodeHeaders() {
        long h = Header.message(2, 12345);
        assertThat(Header.isMarker(h)).isFalse();
        assertThat(Header.producer(h)).isEqualTo(2);
        assertThat(Header.sequence(h)).isEqualTo(12345);
        assertThat(Header.markerRep(Header.endOfRep(3))).isEqualTo(3);
        assertThat(Header.isMarker(Header.STOP)).isTrue();
    }

    private static RoleContext consumer(Scenario scenario, int reps, ByteArrayOutputStream out) {
        RoleContext ctx = new RoleContext(new TrialSpec("limit", scenario, 64, 0, 1, reps, Path.of("/nonexistent")),
                Role.CONSUMER, 0, Map.of(), Long.MAX_VALUE);
        ctx.controlTo(new PrintStream(out, true, StandardCharsets.UTF_8));
        return ctx;
    }

    private static List<RepResult> results(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8).lines().map(l -> ControlLine.parse(l).orElseThrow())
                .map(ControlLine::toRepResult).toList();
    }

    @Test
    void shouldCutTheStreamIntoWindowsAtEveryProducersMarker() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamMeter meter = new StreamMeter(consumer(Scenario.MPSC3, 2, out));
        long[] seq = new long[3];
        // warm-up: 2 messages per producer, then the three markers for rep 0 (not reported)
        for (int p = 0; p < 3; p++) {
            meter.onHeader(Header.message(p, seq[p]++));
            meter.onHeader(Header.message(p, seq[p]++));
        }
        meter.onHeader(Header.endOfRep(0));
        meter.onHeader(Header.endOfRep(0));
        // producer 2 finishes rep 0 late; producer 0 has already started rep 1
        meter.onHeader(Header.message(0, seq[0]++));
        meter.onHeader(Header.endOfRep(0));
        for (int p = 0; p < 3; p++) {
            meter.onHeader(Header.message(p, seq[p]++));
            meter.onHeader(Header.endOfRep(1));
        }
        assertThat(meter.done()).isFalse();
        for (int p = 0; p < 3; p++) {
            meter.onHeader(Header.endOfRep(2));
        }
        assertThat(meter.done()).isTrue();
        List<RepResult> results = results(out);
        assertThat(results).extracting(RepResult::rep).containsExactly(1, 2);
        assertThat(results.get(0).messages()).isEqualTo(3); // messages between the rep-0 and rep-1 boundaries
        assertThat(results.get(1).messages()).isZero();
    }

    @Test
    void shouldCarryTheConsumerThreadsCpuTimeOfEachWindow() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamMeter meter = new StreamMeter(consumer(Scenario.SPSC, 1, out));
        meter.onHeader(Header.message(0, 0));
        meter.onHeader(Header.endOfRep(0));
        long seq = 1;
        long until = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() + 5_000_000;
        while (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() < until) {
            meter.onHeader(Header.message(0, seq++));
        }
        meter.onHeader(Header.endOfRep(1));

        RepResult r = results(out).getFirst();
        assertThat(r.cpuNanos()).as("at least the 5 ms of CPU the loop spent").isGreaterThanOrEqualTo(5_000_000L);
        assertThat(r.consumerCpuShare()).isPositive();
        assertThat(r.messagesPerCpuSecond()).isPositive();
    }

    @Test
    void shouldReportNoCpuTimeForAWindowWhoseMessagesArriveOnTwoThreads() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StreamMeter meter = new StreamMeter(consumer(Scenario.SPSC, 2, out));
        meter.onHeader(Header.message(0, 0));
        meter.onHeader(Header.endOfRep(0));
        Thread other = Thread.ofPlatform().start(() -> meter.onHeader(Header.message(0, 1)));
        other.join();
        meter.onHeader(Header.endOfRep(1));
        meter.onHeader(Header.message(0, 2));
        meter.onHeader(Header.endOfRep(2));

        List<RepResult> results = results(out);
        assertThat(results.get(0).cpuNanos()).as("window 1 hopped threads").isNull();
        assertThat(results.get(1).cpuNanos()).as("window 2 stayed on this thread").isNotNull();
    }

    @Test
    void shouldDetectALostMessage() {
        StreamMeter meter = new StreamMeter(consumer(Scenario.SPSC, 1, new ByteArrayOutputStream()));
        meter.onHeader(Header.message(0, 0));
        assertThatThrownBy(() -> meter.onHeader(Header.message(0, 2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sequence=1");
    }

    @Test
    void shouldFlagAnUnknownProducer() {
        StreamMeter meter = new StreamMeter(consumer(Scenario.SPSC, 1, new ByteArrayOutputStream()));
        assertThatThrownBy(() -> meter.onHeader(Header.message(1, 0))).isInstanceOf(IllegalStateException.class);
    }
}
