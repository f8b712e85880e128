package io.millrace.actors.internal;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;
import io.millrace.actors.PostStop;
import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Causal order per recipient across lanes: an actor of lane A tells {@code first} to a recipient of its own lane,
 * then makes an actor of lane B tell it {@code second}; the recipient gets {@code first} first. The interleaving
 * that broke it (SupervisionTest, under load) is forced: the tells are made in the system-queue phase (a
 * {@code PostStop}, which a lane runs before it polls its ring), and that {@code PostStop} waits until lane B has
 * told, so lane A polls its ring only once {@code second} is in it. With a lane's own tells in a local queue drained
 * after the ring, {@code second} came first.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LaneCausalOrderTest {

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

    private static Lane laneOf(ActorRef<?> ref) {
        return ((LocalActorRef<?>) ref).cell.lane();
    }

    /** Spawns actors named {@code prefix-N} until one lands on ({@code same}) or off lane {@code lane}. */
    private static <T> ActorRef<T> spawnOn(ActorSystem<?> system, Behavior<T> behavior, String prefix, Lane lane,
                                           boolean same) {
        for (int i = 0; i < 16; i++) {
            ActorRef<T> ref = system.systemActorOf(behavior, prefix + "-" + i);
            if ((laneOf(ref) == lane) == same) {
                return ref;
            }
        }
        throw new AssertionError("no actor of 16 landed " + (same ? "on" : "off") + " lane " + lane);
    }

    @Test
    void shouldDeliverALanesOwnTellBeforeATellAnotherLaneMadeInReaction() throws Exception {
        try (ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "causal",
                ActorSystemConfig.defaults().withDispatcherThreads(2).withBaseDirectory(shm.path()))) {
            AtomicReference<ActorRef<String>> recipient = new AtomicReference<>();
            AtomicReference<ActorRef<String>> reactor = new AtomicReference<>();
            CountDownLatch secondTold = new CountDownLatch(1);
            CompletableFuture<ActorRef<String>> kid = new CompletableFuture<>();

            // the kid's last words go to the recipient, then it pokes the reactor (of the other lane) and holds its
            // lane, in the system-queue phase, until the reactor has told the recipient too
            AtomicBoolean held = new AtomicBoolean();
            Behavior<String> lastWords = Behaviors.receive(String.class)
                    .onSignal(PostStop.class, stop -> {
                        recipient.get().tell("first");
                        reactor.get().tell("poke");
                        try {
                            held.set(secondTold.await(30, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return Behaviors.same();
                    }).build();
            // the parent stops the kid: its PostStop runs in the kid's lane's system-queue phase
            ActorRef<String> parent = system.systemActorOf(Behaviors.<String>setup(context -> {
                ActorRef<String> child = context.spawn(lastWords, "kid");
                kid.complete(child);
                return Behaviors.receiveMessage(stop -> {
                    context.stop(child);
                    return Behaviors.same();
                });
            }), "parent");
            Lane laneA = laneOf(kid.get(30, TimeUnit.SECONDS));

            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            recipient.set(spawnOn(system, Behaviors.receiveMessage(m -> {
                received.add(m);
                return Behaviors.same();
            }), "recipient", laneA, true));
            reactor.set(spawnOn(system, Behaviors.receiveMessage(poke -> {
                recipient.get().tell("second");
                secondTold.countDown();
                return Behaviors.same();
            }), "reactor", laneA, false));

            parent.tell("stop the kid");
            List<String> order = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String m = received.poll(30, TimeUnit.SECONDS);
                assertThat(m).as("message %s of 2 within 30 s", i + 1).isNotNull();
                order.add(m);
            }
            assertThat(held).as("lane A was held in the PostStop until lane B told").isTrue();
            assertThat(order).containsExactly("first", "second");
        }
    }
}
