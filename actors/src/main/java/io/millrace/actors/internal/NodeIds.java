package io.millrace.actors.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes node ids: the one place that decides them. Now {@code pid << 24 | n}, where {@code n} counts the systems
 * this JVM has started: unique among the live processes of the host. A host-wide registry in the base directory
 * (which can also tell a reused pid from its dead predecessor) will replace it.
 */
final class NodeIds {

    private static final AtomicInteger SYSTEMS = new AtomicInteger();

    private NodeIds() {
    }

    static long next() {
        long pid = ProcessHandle.current().pid();
        return (pid << 24) | (SYSTEMS.incrementAndGet() & 0xFF_FFFFL);
    }
}
