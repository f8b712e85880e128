package io.millrace.actors;

/**
 * An ask (or another wait) on an actor of another node failed because that node is gone: its system terminated, its
 * region was removed, or its process died. The message names the node and, where known, its pid and exit status
 * (known in the JVM that started the node with {@code spawnNode}; elsewhere {@code status=unknown}).
 */
public final class NodeGoneException extends RuntimeException {

    private final long node;

    /**
     * @param node    the node's id
     * @param message what happened, naming the node
     */
    public NodeGoneException(long node, String message) {
        super(message);
        this.node = node;
    }

    /** @return the id of the node that is gone */
    public long node() {
        return node;
    }
}
