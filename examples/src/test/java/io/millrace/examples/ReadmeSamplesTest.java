package io.millrace.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's actor samples: the first is the whole of {@link ActorsExample} (run by {@code ActorsExampleTest}), the
 * second is taken from the actors module's {@code RemoteLifecycleTest}.
 */
class ReadmeSamplesTest {
    @Test
    void shouldShowTheWholeOfActorsExampleAsTheFirstActorSample() throws IOException {
        List<String> sample = ReadmeSample.under("### Actors across processes");
        List<String> program = ReadmeSample.source("ActorsExample").lines().skip(1) // all but its package line
                .map(String::strip).filter(line -> !line.isEmpty()).toList();
        assertThat(sample).as("the README's sample, line by line").containsExactlyElementsOf(program);
    }

    @Test
    void shouldTakeEveryLineOfTheLifecycleSampleFromRemoteLifecycleTest() throws IOException {
        List<String> sample = ReadmeSample.under("[`RemoteLifecycleTest`](");
        String test = Files.readString(Path.of("../actors/src/test/java/io/millrace/actors/RemoteLifecycleTest.java"));
        assertThat(sample).hasSizeGreaterThan(2).allSatisfy(line -> assertThat(test).contains(line));
    }
}
