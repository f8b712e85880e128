package io.millrace.reactive;

import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.BeforeMethod;
import reactor.core.publisher.Flux;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Reactive Streams TCK's publisher rules for an imported {@code Flux}, its publisher in this JVM: every signal
 * crosses the rings of a real region (the cross-process subset is {@link CrossProcessFluxVerification}).
 */
public class ImportedFluxVerification extends PublisherVerification<String> {
    private final List<Publication> publications = new CopyOnWriteArrayList<>();
    private final AtomicInteger names = new AtomicInteger();
    private TckDirectory tck;

    public ImportedFluxVerification() {
        super(new TestEnvironment(2_000, 200), 2_000);
    }

    @BeforeMethod(alwaysRun = true)
    public void clearStaleInterrupt(Method method) {
        TckThread.clearStaleInterrupt(getClass(), method);
    }

    @BeforeClass
    public void createDirectory() throws IOException {
        tck = new TckDirectory();
    }

    @AfterMethod
    public void withdraw() {
        publications.forEach(Publication::close);
        publications.clear();
    }

    @AfterClass
    public void removeDirectory() throws IOException {
        tck.close();
    }

    @Override
    public Publisher<String> createPublisher(long elements) {
        return export(elements == Long.MAX_VALUE ? StreamChild.source("infinite") : range(elements));
    }

    @Override
    public Publisher<String> createFailedPublisher() {
        return export(Flux.error(new IllegalStateException("failed on purpose")));
    }

    private Publisher<String> export(Flux<String> source) {
        String name = "tck-" + names.incrementAndGet();
        publications.add(Streams.publish(name, String.class, source, tck.directory()));
        return Streams.flux(name, String.class, tck.directory());
    }

    static Flux<String> range(long elements) {
        return Flux.generate(() -> 0L, (i, sink) -> {
            if (i < elements) {
                sink.next(String.valueOf(i));
            } else {
                sink.complete();
            }
            return i + 1;
        });
    }
}
