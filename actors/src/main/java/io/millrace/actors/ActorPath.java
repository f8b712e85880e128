package io.millrace.actors;

import java.util.Objects;

/**
 * The identity of an actor on this host, and the wire form of an {@link ActorRef}: the actor system's name, the node
 * that hosts it (one node per {@code ActorSystem}, unique on the host), the actor's path below the guardian, and its
 * incarnation ({@code uid}: an actor spawned again under the same name has another one, so a ref to the old one is a
 * dead ref). Messages are routed by {@code node} and {@code uid}; the rest is for people.
 *
 * @param system the actor system's name
 * @param node   the node's id, unique among the nodes of the base directory
 * @param path   the actor's path, for example {@code /user/counter} ({@code /user} for the guardian,
 *               {@code /system/...} for system actors, {@code /temp/...} for the reply refs of asks)
 * @param uid    the actor's incarnation, unique within its node
 */
public record ActorPath(String system, long node, String path, long uid) {

    public ActorPath {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path=" + path + " must start with '/'");
        }
    }

    /** The last element of the path: the actor's name. */
    public String name() {
        int slash = path.lastIndexOf('/');
        return path.substring(slash + 1);
    }

    @Override
    public String toString() {
        return "millrace://" + system + "@" + Long.toHexString(node) + path + "#" + uid;
    }
}
