package io.millrace.reactive;

import io.millrace.actors.ActorSystem;
import org.reactivestreams.Subscriber;
import org.reactivestreams.tck.SubscriberBlackboxVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.BeforeMethod;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicInteger;

/** The TCK's subscriber rules for {@link ActorSink}, feeding a {@link SinkProbe} actor that acks at once. */
public class ActorSinkVerification extends SubscriberBlackboxVerification<String> {
    private final AtomicInteger names = new AtomicInteger();
    private TckDirectory tck;
    private ActorSystem<Void> system;

    public ActorSinkVerification() {
        super(new TestEnvironment(2_000, 200));
    }

    @BeforeMethod(alwaysRun = true)
    public void clearStaleInterrupt(Method method) {
        TckThread.clearStaleInterrupt(getClass(), method);
    }

    @BeforeClass
    public void start() throws IOException {
        tck = new TckDirectory();
        system = TestActors.system(tck.directory().path(), "tck-sink");
    }

    @AfterClass
    public void stop() throws IOException {
        system.close();
        tck.close();
    }

    @Override
    public Subscriber<String> createSubscriber() {
        SinkProbe probe = new SinkProbe();
        return SinkProbe.sink(system, system.systemActorOf(probe.behavior(), "consumer-" + names.incrementAndGet()),
                ActorSink.DEFAULT_WINDOW);
    }

    @Override
    public String createElement(int element) {
        return String.valueOf(element);
    }
}
