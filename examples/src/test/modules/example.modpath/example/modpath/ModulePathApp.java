package example.modpath;

import io.millrace.actors.ActorRef;
import io.millrace.actors.ActorSystem;
import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.AskPattern;
import io.millrace.actors.Behavior;
import io.millrace.actors.Behaviors;
import io.millrace.actors.NodeSpec;
import io.millrace.actors.RemoteNode;
import io.millrace.actors.launch.ChildJvm;
import io.millrace.actors.launch.ChildJvmSpec;
import io.millrace.reactive.Publication;
import io.millrace.reactive.StreamException;
import io.millrace.reactive.StreamOptions;
import io.millrace.reactive.Streams;
import example.modpath.closed.Secret;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs on the module path (module example.modpath): spawns a child node, spawns there an actor from a shipped lambda,
 * publishes a Flux of this module's records, and asks the remote actor (a record of this module) to sum the Flux
 * from its JVM. Prints {@code SUM <sum> OF <count> IN <modules> ON <pid>}; then what Millrace says of a package that is
 * closed to it: {@code CODEC <message>} (a record as a Flux element) and {@code LAUNCH <line>} (a child JVM's main),
 * then {@code DONE}.
 */
public final class ModulePathApp {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private ModulePathApp() {
    }

    /** A Flux element, carried by the actors' codec. */
    record Tick(int n) {
    }

    /** The request to the remote actor, with a reply-to ref. */
    record SumTicks(String stream, ActorRef<Summed> replyTo) {
    }

    /** The reply: the sum and count of the ticks, the pid of the JVM that summed them and its modules. */
    record Summed(long sum, long count, long pid, String modules) {
    }

    static Behavior<SumTicks> summer() {
        return Behaviors.receive((ctx, ask) -> {
            Streams.flux(ask.stream(), Tick.class, StreamOptions.defaults().withTimeout(WAIT))
                    .reduce(new long[2], (acc, tick) -> new long[] {acc[0] + tick.n(), acc[1] + 1})
                    .subscribe(acc -> ask.replyTo().tell(new Summed(acc[0], acc[1], ProcessHandle.current().pid(),
                            modules())));
            return Behaviors.same();
        });
    }

    /** The modules of this class and of Millrace's actors, as this JVM sees them ("unnamed" on the class path). */
    static String modules() {
        return ModulePathApp.class.getModule().getName() + "+" + ActorSystem.class.getModule().getName();
    }

    public static void main(String[] args) throws Exception {
        System.out.println("MODULES " + modules());
        try (ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "modpath", ActorSystemConfig.defaults());
             RemoteNode node = system.spawnNode(NodeSpec.named("modpath-node")).toCompletableFuture()
                     .get(60, TimeUnit.SECONDS);
             Publication ticks = Streams.publish("modpath-ticks", Tick.class, Flux.range(1, 100).map(Tick::new))) {
            ActorRef<SumTicks> summer = node.spawn(ModulePathApp::summer, "summer").toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            Summed summed = AskPattern.<SumTicks, Summed>ask(summer, reply -> new SumTicks(ticks.name(), reply),
                    WAIT, system).toCompletableFuture().get(60, TimeUnit.SECONDS);
            System.out.println("SUM " + summed.sum() + " OF " + summed.count() + " IN " + summed.modules() + " ON "
                    + summed.pid());
        }
        try {
            Streams.publish("modpath-secrets", Secret.class, Flux.empty()).close();
            System.out.println("CODEC accepted a record of a closed package");
        } catch (StreamException e) {
            System.out.println("CODEC " + e.getMessage());
        }
        try (ChildJvm closed = ChildJvm.start(ChildJvmSpec.of("closed-main", Secret.class.getName()))) {
            int status = closed.awaitExit(WAIT);
            System.out.println("LAUNCH status=" + status + " " + closed.lastErrorLines());
        }
        System.out.println("DONE");
    }
}
