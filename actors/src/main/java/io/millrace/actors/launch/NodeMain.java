package io.millrace.actors.launch;

import io.millrace.actors.ActorSystem;
import io.millrace.actors.ActorSystemConfig;
import io.millrace.actors.Receptionist;
import io.millrace.actors.internal.NodeSpawner;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The main of a child node started by {@code ActorSystem.spawnNode}: arguments base directory, system name,
 * dispatcher threads, parent node (hex). Runs an actor system whose guardian is the node's spawner, registered with
 * the receptionist so that the parent finds it, until the system terminates (or the parent dies: {@link ChildMain}).
 */
public final class NodeMain {

    private NodeMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: NodeMain <base directory> <name> <dispatcher threads> <parent node hex>");
            System.exit(2);
        }
        ActorSystemConfig config = ActorSystemConfig.defaults().withBaseDirectory(Path.of(args[0]))
                .withDispatcherThreads(Integer.parseInt(args[2]));
        long parent = Long.parseUnsignedLong(args[3], 16);
        ActorSystem<NodeSpawner.Command> system = ActorSystem.create(NodeSpawner.behavior(), args[1], config);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(system::close));
        system.receptionist().tell(Receptionist.register(NodeSpawner.key(parent, args[1]), system));
        system.getWhenTerminated().toCompletableFuture().get(Long.MAX_VALUE, TimeUnit.DAYS);
    }
}
