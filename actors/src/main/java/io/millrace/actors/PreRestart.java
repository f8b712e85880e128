package io.millrace.actors;

/**
 * Sent to the behavior that failed, before a supervisor restarts the actor ({@link SupervisorStrategy#restart()}):
 * release what that behavior holds. What the behavior returns is ignored; if it throws, that is logged.
 */
public record PreRestart() implements Signal {

    private static final PreRestart INSTANCE = new PreRestart();

    /** The signal (all instances are equal). */
    public static PreRestart instance() {
        return INSTANCE;
    }
}
