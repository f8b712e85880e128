package io.millrace.reactive;

import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.SkipException;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.BeforeMethod;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * The TCK's publisher rules for a {@code Flux} imported from a child JVM: one child for the class exports
 * {@code range-N} streams of the lengths the rules ask for (0 to 20 and Integer.MAX_VALUE), an infinite one
 * and a failed one.
 */
public class CrossProcessFluxVerification extends PublisherVerification<String> {
    static final int MAX_RANGE = 20;

    private TckDirectory tck;
    private ExportingChild child;

    public CrossProcessFluxVerification() {
        super(new TestEnvironment(3_000, 200), 3_000);
    }

    @BeforeMethod(alwaysRun = true)
    public void clearStaleInterrupt(Method method) {
        TckThread.clearStaleInterrupt(getClass(), method);
    }

    @BeforeClass
    public void startChild() throws IOException, InterruptedException {
        tck = new TckDirectory();
        List<String> specs = new ArrayList<>();
        for (int n = 0; n <= MAX_RANGE; n++) {
            specs.add("range-" + n + "=range:" + n);
        }
        specs.add("infinite=infinite");
        specs.add("range-max=range:" + Integer.MAX_VALUE);
        specs.add("failed=error");
        child = ExportingChild.start(tck.directory(), specs.toArray(String[]::new));
    }

    @AfterClass
    public void stopChild() throws IOException, InterruptedException {
        try {
            child.close();
        } finally {
            tck.close();
        }
    }

    @Override
    public Publisher<String> createPublisher(long elements) {
        if (elements == Long.MAX_VALUE) {
            return Streams.flux("infinite", String.class, tck.directory());
        }
        if (elements == Integer.MAX_VALUE) {
            return Streams.flux("range-max", String.class, tck.directory());
        }
        if (elements > MAX_RANGE) {
            throw new SkipException("the child exports ranges up to " + MAX_RANGE + " elements, not " + elements);
        }
        return Streams.flux("range-" + elements, String.class, tck.directory());
    }

    @Override
    public Publisher<String> createFailedPublisher() {
        return Streams.flux("failed", String.class, tck.directory());
    }
}
