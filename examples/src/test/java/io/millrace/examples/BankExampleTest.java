package io.millrace.examples;

import io.millrace.actors.codec.SharedTypeRegistry;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's shared-state sample is {@link BankExample}, and its bank keeps its total through SIGKILLs. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BankExampleTest {
    @RegisterExtension
    final ShmTestDirectory dir = new ShmTestDirectory();

    @Test
    void shouldKeepTheTotalOfTheBankWhileItsWorkersAreKilledAtRandom() throws Exception {
        String report = BankExample.run(dir.directory(), 100, 2, 6);
        System.out.println(report);
        assertThat(report).contains("kills=6").contains("total=100000 expected=100000 verified");
        dir.directory().unlink(SharedTypeRegistry.REGION);
        assertThat(dir.files()).isEmpty();
    }

    @Test
    void shouldHoldTheReadmeSampleLines() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```java\n", readme.indexOf("### Shared state across processes"))
                + "```java\n".length();
        List<String> sample = readme.substring(start, readme.indexOf("```", start)).lines()
                .map(String::strip).filter(line -> !line.isEmpty()).toList();
        String example = Files.readString(Path.of("src/main/java/io/millrace/examples/BankExample.java"));
        assertThat(sample).hasSizeGreaterThan(8).allSatisfy(line -> assertThat(example).contains(line));
    }
}
