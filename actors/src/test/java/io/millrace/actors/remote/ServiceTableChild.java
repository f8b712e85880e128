package io.millrace.actors.remote;

import io.millrace.actors.ActorPath;
import io.millrace.shm.ShmDirectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Registers {@code args[1]} as service key for a made-up actor of node 77, says REGISTERED, waits to be killed. */
public final class ServiceTableChild {
    private ServiceTableChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (ServiceTable table = ServiceTable.open(ShmDirectory.at(Path.of(args[0])), Duration.ofSeconds(10))) {
            table.register(args[1], new ActorPath("child", 77, "/user/worker", 5));
            System.out.println("REGISTERED");
            new CountDownLatch(1).await();
        }
    }
}
