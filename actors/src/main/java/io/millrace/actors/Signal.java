package io.millrace.actors;

/**
 * A lifecycle notification delivered to a behavior beside its messages ({@link Behaviors#receive(Class)}'s
 * {@code onSignal}): {@link PostStop}, {@link PreRestart}, {@link Terminated} (and {@link ChildFailed}) of watched
 * actors, {@link ChildJoined} of joinable children. More may come, so a {@code switch} over signals should keep a
 * default branch.
 */
public sealed interface Signal permits PostStop, PreRestart, Terminated, ChildJoined {
}
