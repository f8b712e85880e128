package io.millrace.actors.internal;

import io.millrace.actors.BackoffSupervisorStrategy;
import io.millrace.actors.SupervisorStrategy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SupervisorBackoffTest {

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.2, 1})
    void shouldDoubleTheDelayFromTheMinimumUpToTheMaximumWithinTheRandomFactor(double randomFactor) {
        Duration min = Duration.ofMillis(3);
        Duration max = Duration.ofHours(2);
        BackoffSupervisorStrategy strategy = SupervisorStrategy.restartWithBackoff(min, max, randomFactor);
        for (int restarts = 0; restarts < 200; restarts++) {
            long base = Math.min(max.toNanos(), restarts < 40 ? min.toNanos() << restarts : Long.MAX_VALUE);
            long delay = Supervisor.backoffNanos(strategy, restarts);
            assertThat(delay).as("restarts=" + restarts).isGreaterThanOrEqualTo(base)
                    .isLessThanOrEqualTo((long) (base * (1 + randomFactor)) + 1);
        }
    }
}
