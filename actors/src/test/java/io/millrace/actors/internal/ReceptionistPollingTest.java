package io.millrace.actors.internal;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;
import io.millrace.actors.Receptionist;
import io.millrace.actors.ServiceKey;
import io.millrace.actors.Terminated;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receptionist polls other nodes' changes only while an actor is subscribed: an idle node's receptionist has no
 * timer that wakes its lane. Each state is read from the receptionist itself ({@link ReceptionistBehavior.IsPolling},
 * told after the commands whose effect it checks), so no check depends on timing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceptionistPollingTest {

    private static final ServiceKey<String> KEY = ServiceKey.create(String.class, "polled");
    private static final ServiceKey<String> OTHER = ServiceKey.create(String.class, "other");

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    /** An actor that puts what it gets into {@code into}. */
    private static <T> Behavior<T> recorder(BlockingQueue<Object> into) {
        return Behaviors.receiveMessage(m -> {
            into.add(m);
            return Behaviors.same();
        });
    }

    private static boolean polling(ActorSystem<?> system) throws Exception {
        CompletableFuture<Boolean> polling = new CompletableFuture<>();
        system.receptionist().tell(new ReceptionistBehavior.IsPolling(polling));
        return polling.get(30, TimeUnit.SECONDS);
    }

    private static Object next(BlockingQueue<Object> queue) throws InterruptedException {
        Object m = queue.poll(30, TimeUnit.SECONDS);
        assertThat(m).as("a message within 30 s").isNotNull();
        return m;
    }

    @Test
    void shouldPollOnlyWhileSomeActorIsSubscribed() throws Exception {
        try (ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "polling",
                ActorSystemConfig.defaults().withDispatcherThreads(2).withBaseDirectory(shm.path()))) {
            BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
            ActorRef<Object> probe = system.systemActorOf(recorder(replies), "probe");
            ActorRef<String> service = system.systemActorOf(Behaviors.ignore(), "service");
            system.receptionist().tell(Receptionist.register(KEY, service, probe.narrow()));
            assertThat(next(replies)).isEqualTo(new Receptionist.Registered(KEY, service));
            system.receptionist().tell(Receptionist.find(KEY, probe.narrow()));
            assertThat(next(replies)).isInstanceOf(Receptionist.Listing.class);
            assertThat(polling(system)).as("registered and found, none subscribed").isFalse();

            ActorRef<Receptionist.Listing> first = system.systemActorOf(recorder(replies), "first");
            ActorRef<Receptionist.Listing> second = system.systemActorOf(recorder(replies), "second");
            system.receptionist().tell(Receptionist.subscribe(KEY, first));
            assertThat(polling(system)).as("one subscribed").isTrue();
            system.receptionist().tell(Receptionist.subscribe(OTHER, second));
            system.receptionist().tell(Receptionist.unsubscribe(KEY, first));
            assertThat(polling(system)).as("the other key still subscribed").isTrue();
            system.receptionist().tell(Receptionist.unsubscribe(OTHER, second));
            assertThat(polling(system)).as("the last one unsubscribed").isFalse();
            system.receptionist().tell(Receptionist.subscribe(KEY, first));
            assertThat(polling(system)).as("subscribed again").isTrue();
        }
    }

    @Test
    void shouldStopPollingWhenTheLastSubscriberStops() throws Exception {
        try (ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "polling-stop",
                ActorSystemConfig.defaults().withDispatcherThreads(2).withBaseDirectory(shm.path()))) {
            BlockingQueue<Object> events = new LinkedBlockingQueue<>();
            // a watcher spawns the subscriber, subscribes it, and stops it on request; its Terminated comes after
            // the subscriber told the receptionist that it stopped
            ActorRef<String> watcher = system.systemActorOf(Behaviors.<String>setup(context -> {
                ActorRef<Receptionist.Listing> subscriber = context.spawn(recorder(events), "subscriber");
                context.watch(subscriber);
                context.getSystem().receptionist().tell(Receptionist.subscribe(KEY, subscriber));
                return Behaviors.receive(String.class).onMessage(String.class, stop -> {
                    context.stop(subscriber);
                    return Behaviors.same();
                }).onSignal(Terminated.class, terminated -> {
                    events.add(terminated);
                    return Behaviors.same();
                }).build();
            }), "watcher");
            assertThat(next(events)).as("the subscriber's first listing").isInstanceOf(Receptionist.Listing.class);
            assertThat(polling(system)).as("subscribed").isTrue();
            watcher.tell("stop");
            assertThat(next(events)).isInstanceOf(Terminated.class);
            assertThat(polling(system)).as("its only subscriber stopped").isFalse();
        }
    }
}
