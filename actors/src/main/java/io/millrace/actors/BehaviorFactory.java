package io.millrace.actors;

import java.io.Serializable;

/**
 * Makes an actor's behavior in another JVM: a serializable lambda or method reference, shipped to the node that
 * runs the actor ({@link RemoteNode#spawn}). Capture only serializable values (records, strings, numbers, refs are
 * not: pass refs in messages).
 *
 * @param <T> the actor's messages
 */
@FunctionalInterface
public interface BehaviorFactory<T> extends Serializable {

    /** @return the behavior of the new actor */
    Behavior<T> create();
}
