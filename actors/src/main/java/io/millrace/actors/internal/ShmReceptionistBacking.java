package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;
import io.millrace.actors.ActorRef;
import io.millrace.actors.ServiceKey;
import io.millrace.actors.remote.ServiceTable;

import org.slf4j.Logger;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Registrations of every node of the base directory, in the host-wide {@link ServiceTable}: register and deregister
 * write it (a registration the table cannot take, too long or the table full, stays on this node, with a warning),
 * find reads it (this node's registrations are in it too) and resolves each path through the node, so an
 * actor of another node comes back as a remote ref. Keys match by id across nodes (the message class lives in each
 * process's code). {@link #changedElsewhere} is one load of the table's generation; every
 * {@value #RECLAIM_EVERY}th call also removes the registrations of dead processes.
 */
final class ShmReceptionistBacking implements ReceptionistBacking {

    static final int RECLAIM_EVERY = 20;

    private final ServiceTable table;
    private final LocalNode node;
    private final Logger log;
    private final LocalReceptionistBacking local = new LocalReceptionistBacking();
    private long seenGeneration;
    private int polls;

    ShmReceptionistBacking(ServiceTable table, LocalNode node, Logger log) {
        this.table = table;
        this.node = node;
        this.log = log;
        this.seenGeneration = table.generation();
    }

    @Override
    public boolean register(ServiceKey<?> key, ActorRef<?> service) {
        if (!local.register(key, service)) {
            return false;
        }
        try {
            table.register(key.id(), service.path());
        } catch (IllegalArgumentException | IllegalStateException e) {
            // too long for an entry, or the table is full: other nodes will not see it, this one does
            log.warn("service={} under key={} is registered on this node only: {}", service.path(), key.id(),
                    e.getMessage());
        }
        return true;
    }

    @Override
    public boolean deregister(ServiceKey<?> key, ActorRef<?> service) {
        if (!local.deregister(key, service)) {
            return false;
        }
        table.deregister(key.id(), service.path());
        return true;
    }

    @Override
    public Set<ActorRef<?>> find(ServiceKey<?> key) {
        Set<ActorRef<?>> found = new LinkedHashSet<>(local.find(key));
        for (ActorPath path : table.find(key.id())) {
            if (path.node() != node.id()) {
                found.add(node.resolveActorRef(path));
            }
        }
        return Set.copyOf(found);
    }

    @Override
    public Set<ServiceKey<?>> removeAll(ActorRef<?> service) {
        Set<ServiceKey<?>> keys = new HashSet<>(local.removeAll(service));
        for (ServiceKey<?> key : keys) {
            table.deregister(key.id(), service.path());
        }
        return keys;
    }

    @Override
    public boolean changedElsewhere() {
        if (++polls >= RECLAIM_EVERY) {
            polls = 0;
            table.reclaimDead();
        }
        long generation = table.generation();
        if (generation == seenGeneration) {
            return false;
        }
        seenGeneration = generation;
        return true;
    }
}
