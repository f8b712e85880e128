package io.millrace.reactive;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TckThread}: the TCK's guard against an interrupt left on its thread by what ran before. */
class TckThreadTest {

    @AfterEach
    void clearFlag() {
        Thread.interrupted(); // on failure too: the flag must not reach the next test on this thread
    }

    @Test
    void shouldClearAStaleInterruptAndNameTheMethodThatBeganBefore() throws Exception {
        Method first = ImportedFluxVerification.class.getMethod("createPublisher", long.class);
        Method second = ImportedFluxVerification.class.getMethod("createFailedPublisher");
        assertThat(TckThread.clearStaleInterrupt(ImportedFluxVerification.class, first)).isEmpty();
        Thread.currentThread().interrupt();

        assertThat(TckThread.clearStaleInterrupt(ImportedFluxVerification.class, second)).hasValueSatisfying(notice ->
                assertThat(notice).contains("thread=" + Thread.currentThread().getName(),
                        "before ImportedFluxVerification.createFailedPublisher",
                        "previous TCK method=ImportedFluxVerification.createPublisher"));
        assertThat(Thread.currentThread().isInterrupted()).as("flag cleared").isFalse();
    }

    @Test
    void shouldLeaveAClearFlagAlone() throws Exception {
        Method method = ImportedFluxVerification.class.getMethod("createFailedPublisher");
        assertThat(TckThread.clearStaleInterrupt(ImportedFluxVerification.class, method)).isEmpty();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
