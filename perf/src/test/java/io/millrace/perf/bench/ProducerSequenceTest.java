package io.millrace.perf.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProducerSequenceTest {

    /** A clock that moves {@code step} ns per reading. */
    private static final class Clock {
        long now;
        final long step;

        Clock(long step) {
            this.step = step;
        }

        long read() {
            now += step;
            return now;
        }
    }

    private static List<Long> drain(ProducerSequence seq) {
        List<Long> out = new ArrayList<>();
        while (seq.hasNext()) {
            out.add(seq.next());
        }
        return out;
    }

    @Test
    void shouldEndEveryRepetitionWithItsMarkerAfterWholeChecksOfSixteen() {
        // 1 ms per clock reading, 2 ms repetitions: the deadline passes at the second check of each repetition
        Clock clock = new Clock(1_000_000);
        List<Long> headers = drain(new ProducerSequence(2, 3, 2, 2, Long.MAX_VALUE, clock::read));

        List<Long> markers = headers.stream().filter(Header::isMarker).toList();
        assertThat(markers).containsExactly(Header.endOfRep(0), Header.endOfRep(1), Header.endOfRep(2),
                Header.endOfRep(3));
        assertThat(headers.getLast()).isEqualTo(Header.endOfRep(3));
        List<Long> data = headers.stream().filter(h -> !Header.isMarker(h)).toList();
        assertThat(data).allMatch(h -> Header.producer(h) == 2);
        for (int i = 0; i < data.size(); i++) {
            assertThat(Header.sequence(data.get(i))).isEqualTo(i);
        }
        int start = 0;
        for (long marker : markers) {
            int end = headers.indexOf(marker);
            assertThat((end - start) % ProducerLoop.CHECK_EVERY).as("data messages before " + marker).isZero();
            assertThat(end - start).isPositive();
            start = end + 1;
        }
    }

    @Test
    void shouldStopARepetitionAtItsBoundOfMessages() {
        Clock frozen = new Clock(0);
        List<Long> headers = drain(new ProducerSequence(0, 1, 1, 1, 40, frozen::read));
        // the bound is checked every 16 messages: 48 is the first check at or above 40
        assertThat(headers).hasSize(48 + 1 + 48 + 1);
        assertThat(headers.get(48)).isEqualTo(Header.endOfRep(0));
    }

    @Test
    void shouldRefuseToGoOnAfterTheLastMarker() {
        ProducerSequence seq = new ProducerSequence(0, 1, 0, 1, 16, new Clock(1)::read);
        drain(seq);
        assertThat(seq.hasNext()).isFalse();
        assertThatThrownBy(seq::next).isInstanceOf(NoSuchElementException.class).hasMessageContaining("(1)");
    }

    @Test
    void shouldRejectImpossibleRepetitionsNamingTheValues() {
        assertThatThrownBy(() -> new ProducerSequence(0, 0, 1, 1, 16, System::nanoTime))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reps=0");
        assertThatThrownBy(() -> new ProducerSequence(-1, 1, 1, 1, 16, System::nanoTime))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("producer=-1");
    }

    @Test
    void shouldFeedAStreamMeterWithoutCorruption() {
        // the pull form and the consumer's checks agree: every repetition is reported once
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        RoleContext ctx = new RoleContext(new TrialSpec("ring", Scenario.ACTOR_TELL, 64, 1, 1, 3,
                java.nio.file.Path.of("/tmp")), Role.CONSUMER, 0, java.util.Map.of(), Long.MAX_VALUE);
        ctx.controlTo(new java.io.PrintStream(out, true));
        StreamMeter meter = new StreamMeter(ctx);
        ProducerSequence seq = new ProducerSequence(0, 3, 1, 1, Long.MAX_VALUE, new Clock(300_000)::read);
        while (seq.hasNext()) {
            meter.onHeader(seq.next());
        }
        assertThat(meter.done()).isTrue();
        assertThat(out.toString().lines().filter(l -> l.contains("RESULT"))).hasSize(3);
    }
}
