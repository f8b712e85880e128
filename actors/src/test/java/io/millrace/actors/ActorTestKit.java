package io.millrace.actors;

import io.millrace.shm.ShmTestDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Starts systems for a test, in the test's private base directory, and closes them after it, checking that none of
 * their threads and (through {@link ShmTestDirectory}) none of their files is left.
 */
abstract class ActorTestKit {

    @RegisterExtension
    final ShmTestDirectory shm = new ShmTestDirectory();

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
                + SYSTEMS.incrementAndGet(), config.withBaseDirectory(shm.path()));
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
