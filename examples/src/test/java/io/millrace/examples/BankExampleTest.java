package io.millrace.examples;

import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
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
        assertThat(report).containsPattern("retried=\\d+ kills=6").contains("total=101000 expected=101000 verified");
        assertThat(dir.files()).isEmpty();
    }

    @Test
    void shouldHoldTheReadmeSampleLines() throws IOException {
        List<String> sample = ReadmeSample.under("### Shared state across processes");
        String example = ReadmeSample.source("BankExample");
        assertThat(sample).hasSizeGreaterThan(8).allSatisfy(line -> assertThat(example).contains(line));
    }
}
