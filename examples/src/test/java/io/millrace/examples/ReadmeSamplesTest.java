package io.millrace.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's actor sample is taken from {@link ActorsCommand}, which {@code ActorsCommandTest} runs. */
class ReadmeSamplesTest {
    @Test
    void shouldTakeEveryLineOfTheActorSampleFromActorsCommand() throws IOException {
        List<String> sample = ReadmeSample.under("### Actors across processes");
        String command = ReadmeSample.source("ActorsCommand");
        assertThat(sample).hasSizeGreaterThan(10).allSatisfy(line -> assertThat(command).contains(line));
    }
}
