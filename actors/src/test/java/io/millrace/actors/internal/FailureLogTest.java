package io.millrace.actors.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailureLogTest {

    private static final long MS = 1_000_000L;

    @Test
    void shouldLogAtMostTheLimitPerSecondAndReportHowManyWereNotLogged() {
        FailureLog log = new FailureLog();
        long start = -5_000 * MS; // nanoTime may be negative
        for (int i = 0; i < FailureLog.LIMIT; i++) {
            assertThat(log.admit(start + i * MS)).as("failure " + i).isZero();
        }
        for (int i = 0; i < 25; i++) {
            assertThat(log.admit(start + 500 * MS + i)).as("over the limit").isEqualTo(-1);
        }
        assertThat(log.admit(start + 1_001 * MS)).as("the next second's first line reports them").isEqualTo(25);
        assertThat(log.admit(start + 1_002 * MS)).isZero();
    }
}
