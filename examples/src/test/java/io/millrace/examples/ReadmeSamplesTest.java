package io.millrace.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's actor samples are taken from {@link ActorsCommand}, which {@code ActorsCommandTest} runs, and from the
 * actors module's {@code RemoteLifecycleTest}.
 */
class ReadmeSamplesTest {
    @Test
    void shouldTakeEveryLineOfTheActorSampleFromActorsCommand() throws IOException {
        List<String> sample = ReadmeSample.under("### Actors across processes");
        String command = ReadmeSample.source("ActorsCommand");
        assertThat(sample).hasSizeGreaterThan(10).allSatisfy(line -> assertThat(command).contains(line));
    }

    @Test
    void shouldTakeEveryLineOfTheLifecycleSampleFromRemoteLifecycleTest() throws IOException {
        List<String> sample = ReadmeSample.under("[`RemoteLifecycleTest`](");
        String test = Files.readString(Path.of("../actors/src/test/java/io/millrace/actors/RemoteLifecycleTest.java"));
        assertThat(sample).hasSizeGreaterThan(2).allSatisfy(line -> assertThat(test).contains(line));
    }
}
