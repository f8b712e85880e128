package io.millrace.actors;

/**
 * Sent to an actor's behavior once, after it has stopped and after its children have: release resources here.
 * Messages told to the actor from now on are dead letters; what the behavior returns is ignored.
 */
public record PostStop() implements Signal {

    private static final PostStop INSTANCE = new PostStop();

    /** The signal (all instances are equal). */
    public static PostStop instance() {
        return INSTANCE;
    }
}
