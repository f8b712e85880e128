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

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receptionist polls other nodes' changes only while an actor is subscribed: an idle node's receptionist has no
 * timer that wakes its lane. Each state is read once the receptionist has answered a {@code Find} told after the
 * commands whose effect it checks, from the system's scheduler ({@link SystemScheduler#waitingTasks}, on its
 * thread): the poll timer is the only task of these systems, so no check depends on timing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReceptionistPollingTest {

    private static final ServiceKey<String> KEY = ServiceKey.create(String.class, "polled");
    private static final ServiceKey<String> OTHER = ServiceKey.create(String.class, "other");
    private static final AtomicInteger ASKERS = new AtomicInteger();

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    /** An actor that puts what it gets into {@code into}. */
    private static <T> Behavior<T> recorder(BlockingQueue<Object> into) {
        return Behaviors.receiveMessage(m -> {
            into.add(m);
            return Behaviors.same();
        });
    }

    /** @return the timers of {@code system} once its receptionist has handled the commands told before */
    private static int timers(ActorSystem<?> system) throws Exception {
        BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        ActorRef<Receptionist.Listing> asker = system.systemActorOf(recorder(answers),
                "asker-" + ASKERS.incrementAndGet());
        system.receptionist().tell(Receptionist.find(OTHER, asker));
        assertThat(next(answers)).isInstanceOf(Receptionist.Listing.class);
        SystemScheduler scheduler = (SystemScheduler) system.scheduler();
        CompletableFuture<Integer> waiting = new CompletableFuture<>();
        scheduler.scheduleOnce(Duration.ZERO, () -> waiting.complete(scheduler.waitingTasks()));
        return waiting.get(30, TimeUnit.SECONDS);
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
            assertThat(timers(system)).as("registered and found, none subscribed").isZero();

            ActorRef<Receptionist.Listing> first = system.systemActorOf(recorder(replies), "first");
            ActorRef<Receptionist.Listing> second = system.systemActorOf(recorder(replies), "second");
            system.receptionist().tell(Receptionist.subscribe(KEY, first));
            assertThat(timers(system)).as("one subscribed").isEqualTo(1);
            system.receptionist().tell(Receptionist.subscribe(OTHER, second));
            system.receptionist().tell(Receptionist.unsubscribe(KEY, first));
            assertThat(timers(system)).as("the other key still subscribed").isEqualTo(1);
            system.receptionist().tell(Receptionist.unsubscribe(OTHER, second));
            assertThat(timers(system)).as("the last one unsubscribed").isZero();
            system.receptionist().tell(Receptionist.subscribe(KEY, first));
            assertThat(timers(system)).as("subscribed again").isEqualTo(1);
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
            assertThat(timers(system)).as("subscribed").isEqualTo(1);
            watcher.tell("stop");
            assertThat(next(events)).isInstanceOf(Terminated.class);
            assertThat(timers(system)).as("its only subscriber stopped").isZero();
        }
    }
}
