package io.millrace.reactive;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.Behaviors;
import io.millrace.shm.ShmDirectory;

/**
 * A child JVM, in the base directory of {@code -Dmillrace.dir}: {@code source STOP NAME COUNT ENDING} runs a
 * {@link SourceProbe} ({@code COUNT} elements, then the {@link SourceProbe.Ending}) in an actor system, publishes its
 * {@link ActorSource} as {@code NAME}, prints {@code READY} and the probe's events, and withdraws the name, closes
 * the system and exits once the parent's stream {@code STOP} ends.
 */
public final class ActorStreamChild {
    private ActorStreamChild() {
    }

    public static void main(String[] args) {
        if (!args[0].equals("source")) {
            throw new IllegalArgumentException("mode=" + args[0]);
        }
        ShmDirectory directory = ShmDirectory.defaultDirectory();
        try (ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "source-child",
                TestActors.config(directory.path()))) {
            SourceProbe probe = new SourceProbe(Integer.parseInt(args[3]), SourceProbe.Ending.valueOf(args[4]),
                    System.out::println);
            ActorRef<SourceProbe.Cmd> producer = system.systemActorOf(probe.behavior(), "producer");
            try (Publication p = Streams.publish(args[2], String.class, SourceProbe.flux(system, producer))) {
                System.out.println("READY " + ProcessHandle.current().pid());
                try {
                    Streams.flux(args[1], String.class).blockLast();
                } catch (RuntimeException e) {
                    System.out.println("STOP " + e);
                }
            }
        }
        System.out.println("STOPPED");
        System.exit(0);
    }
}
