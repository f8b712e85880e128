package io.millrace.reactive;

import io.millrace.actors.ActorSystem;
import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.Behaviors;

import java.nio.file.Path;
import java.time.Duration;

/** Actor systems for the bridge's actor tests: two lanes, a 1024-message mailbox, in the test's directory. */
final class TestActors {
    private TestActors() {
    }

    static ActorSystemConfig config(Path directory) {
        return ActorSystemConfig.defaults().withBaseDirectory(directory).withDispatcherThreads(2)
                .withMailboxCapacity(1024).withTerminateTimeout(Duration.ofSeconds(20));
    }

    /** A system with an empty guardian; its tests spawn with {@code systemActorOf}. */
    static ActorSystem<Void> system(Path directory, String name) {
        return ActorSystem.create(Behaviors.empty(), name, config(directory));
    }
}
