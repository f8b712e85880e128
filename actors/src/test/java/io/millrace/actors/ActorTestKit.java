package io.millrace.actors;

import org.junit.jupiter.api.AfterEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts systems for a test and closes them after it, checking that none of their threads is left. */
abstract class ActorTestKit {

    private static final AtomicInteger SYSTEMS = new AtomicInteger();
    private final List<ActorSystem<?>> systems = new ArrayList<>();

    static ActorSystemConfig smallConfig() {
        return ActorSystemConfig.defaults().withDispatcherThreads(2).withMailboxCapacity(1024)
                .withTerminateTimeout(Duration.ofSeconds(20));
    }

    <T> ActorSystem<T> system(Behavior<T> guardian) {
        return system(guardian, smallConfig());
    }

    <T> ActorSystem<T> system(Behavior<T> guardian, ActorSystemConfig config) {
        ActorSystem<T> system = ActorSystem.create(guardian, getClass().getSimpleName() + "-"
                + SYSTEMS.incrementAndGet(), config);
        systems.add(system);
        return system;
    }

    ActorSystem<Void> system() {
        return system(Behaviors.<Void>empty());
    }

    @AfterEach
    void closeSystems() {
        for (ActorSystem<?> system : systems) {
            system.close();
            assertThat(threadsOf(system)).as("threads left by " + system).isEmpty();
        }
    }

    static List<String> threadsOf(ActorSystem<?> system) {
        String prefix = "millrace-" + system.name() + "-";
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith(prefix)).toList();
    }
}
