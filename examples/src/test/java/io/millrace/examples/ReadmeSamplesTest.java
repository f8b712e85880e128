package io.millrace.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's actor sample is taken from {@link ActorsCommand}, which {@code ActorsCommandTest} runs. */
class ReadmeSamplesTest {
    @Test
    void shouldTakeEveryLineOfTheActorSampleFromActorsCommand() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```java\n", readme.indexOf("### Actors across processes")) + "```java\n".length();
        List<String> sample = readme.substring(start, readme.indexOf("```", start)).lines()
                .map(String::strip).filter(line -> !line.isEmpty()).toList();
        String command = Files.readString(Path.of("src/main/java/io/millrace/examples/ActorsCommand.java"));
        assertThat(sample).hasSizeGreaterThan(10).allSatisfy(line -> assertThat(command).contains(line));
    }
}
