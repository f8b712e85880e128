package io.millrace.actors;

/**
 * A lifecycle notification delivered to a behavior beside its messages ({@link Behaviors#receive(Class)}'s
 * {@code onSignal}). Now only {@link PostStop}; supervision and death watch will add {@code PreRestart},
 * {@code Terminated} and {@code ChildFailed}, so a {@code switch} over signals should keep a default branch.
 */
public sealed interface Signal permits PostStop {
}
