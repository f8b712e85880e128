package io.millrace.reactive;

import io.millrace.actors.ActorSystem;
import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.Receptionist;
import io.millrace.shm.ShmDirectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM whose actor system ({@code consume DIR}) runs {@link RefMessages#consumer} as its guardian,
 * registered under {@link RefMessages#CONSUMER}; it says {@code READY} and exits when the guardian stops.
 */
public final class RefChild {
    private RefChild() {
    }

    public static void main(String[] args) throws Exception {
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(3)));
        Path dir = Path.of(args[1]);
        ActorSystemConfig config = ActorSystemConfig.defaults().withBaseDirectory(dir).withDispatcherThreads(1)
                .withMailboxCapacity(1024);
        ActorSystem<RefMessages.Cmd> system = ActorSystem.create(RefMessages.consumer(ShmDirectory.at(dir)),
                "ref-child", config);
        system.receptionist().tell(Receptionist.register(RefMessages.CONSUMER, system));
        Receptionist.lookup(system, RefMessages.CONSUMER, Duration.ofSeconds(30));
        System.out.println("READY");
        system.getWhenTerminated().toCompletableFuture().get(5, TimeUnit.MINUTES);
        System.out.println("TERMINATED");
    }
}
