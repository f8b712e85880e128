package io.millrace.reactive;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.tck.SubscriberBlackboxVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.BeforeMethod;
import reactor.core.Disposable;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TCK's subscriber rules for the exporting side: the subscriber the bridge gives a published source (here a
 * publisher that hands it to the TCK), with an unbounded subscriber importing the stream on the other side.
 */
public class ExportSubscriberVerification extends SubscriberBlackboxVerification<String> {
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
    private final AtomicInteger names = new AtomicInteger();
    private TckDirectory tck;

    public ExportSubscriberVerification() {
        super(new TestEnvironment(2_000, 200));
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
    public void release() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        resources.clear();
    }

    @AfterClass
    public void removeDirectory() throws IOException {
        tck.close();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Subscriber<String> createSubscriber() {
        String name = "sub-" + names.incrementAndGet();
        CompletableFuture<Subscriber<? super String>> handed = new CompletableFuture<>();
        Publisher<String> handOver = handed::complete;
        Publication publication = Streams.publish(name, String.class, handOver, tck.directory());
        Disposable importer = Streams.flux(name, String.class, tck.directory()).subscribe(x -> { }, e -> { });
        resources.add(0, publication);
        resources.add(0, importer::dispose);
        try {
            return (Subscriber<String>) handed.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the exporting side did not subscribe to its source within 10 s", e);
        }
    }

    @Override
    public String createElement(int element) {
        return String.valueOf(element);
    }
}
