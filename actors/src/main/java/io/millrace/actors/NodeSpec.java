package io.millrace.actors;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A child JVM node to start with {@link ActorSystem#spawnNode}: its system's name, its dispatcher threads, its heap
 * and how long its start may take. The child runs this JVM's JDK and class path in the same base directory and
 * ends when this JVM does.
 *
 * @param name              the child's system name: 1 to 64 letters, digits, '.', '_' or '-'
 * @param dispatcherThreads its lane threads, 1 to 64
 * @param heap              its {@code -Xmx} ({@code 256m}), or null for the JVM's default
 * @param startTimeout      how long {@code spawnNode} waits for the node to run, positive
 * @param restart           how the node is restarted when its process dies, or null for never
 */
public record NodeSpec(String name, int dispatcherThreads, String heap, Duration startTimeout, NodeRestart restart) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public NodeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name=" + name + " must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (dispatcherThreads < 1 || dispatcherThreads > 64) {
            throw new IllegalArgumentException("dispatcherThreads=" + dispatcherThreads + " must be from 1 to 64");
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout=" + startTimeout + " must be positive");
        }
    }

    /**
     * A spec of a node that is not restarted.
     *
     * @param name              the child's system name
     * @param dispatcherThreads its lane threads, 1 to 64
     * @param heap              its {@code -Xmx}, or null
     * @param startTimeout      how long {@code spawnNode} waits for the node to run, positive
     */
    public NodeSpec(String name, int dispatcherThreads, String heap, Duration startTimeout) {
        this(name, dispatcherThreads, heap, startTimeout, null);
    }

    /** A node named {@code name} with 2 dispatcher threads, the default heap and a 60 s start timeout. */
    public static NodeSpec named(String name) {
        return new NodeSpec(name, 2, null, Duration.ofSeconds(60), null);
    }

    /**
     * This spec with a restart policy: the node is started again when its process dies.
     *
     * @param policy back-off and limit
     * @return the new spec
     */
    public NodeSpec withRestart(NodeRestart policy) {
        return new NodeSpec(name, dispatcherThreads, heap, startTimeout, Objects.requireNonNull(policy, "policy"));
    }

    /** This spec with another {@code dispatcherThreads}. */
    public NodeSpec withDispatcherThreads(int value) {
        return new NodeSpec(name, value, heap, startTimeout, restart);
    }

    /** This spec with another {@code heap}. */
    public NodeSpec withHeap(String value) {
        return new NodeSpec(name, dispatcherThreads, value, startTimeout, restart);
    }

    /** This spec with another {@code startTimeout}. */
    public NodeSpec withStartTimeout(Duration value) {
        return new NodeSpec(name, dispatcherThreads, heap, value, restart);
    }
}
