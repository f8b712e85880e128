package io.millrace.reactive;

import io.millrace.actors.ActorSystem;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.BeforeMethod;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicInteger;

/** The TCK's publisher rules for {@link ActorSource}: a {@link SourceProbe} actor feeds each publisher. */
public class ActorSourceVerification extends PublisherVerification<String> {
    private final AtomicInteger names = new AtomicInteger();
    private TckDirectory tck;
    private ActorSystem<Void> system;

    public ActorSourceVerification() {
        super(new TestEnvironment(2_000, 200));
    }

    @BeforeMethod(alwaysRun = true)
    public void clearStaleInterrupt(Method method) {
        TckThread.clearStaleInterrupt(getClass(), method);
    }

    @BeforeClass
    public void start() throws IOException {
        tck = new TckDirectory();
        system = TestActors.system(tck.directory().path(), "tck-source");
    }

    @AfterClass
    public void stop() throws IOException {
        system.close();
        tck.close();
    }

    @Override
    public Publisher<String> createPublisher(long elements) {
        SourceProbe probe = elements >= Integer.MAX_VALUE
                ? new SourceProbe(Integer.MAX_VALUE, SourceProbe.Ending.NONE, event -> { })
                : new SourceProbe((int) elements, SourceProbe.Ending.COMPLETE, event -> { });
        return SourceProbe.flux(system, system.systemActorOf(probe.behavior(), "producer-" + names.incrementAndGet()));
    }

    @Override
    public Publisher<String> createFailedPublisher() {
        SourceProbe probe = new SourceProbe(0, SourceProbe.Ending.FAIL, event -> { });
        return SourceProbe.flux(system, system.systemActorOf(probe.behavior(), "failing-" + names.incrementAndGet()));
    }
}
