/**
 * Typed actors in the style of Pekko Typed: {@link io.millrace.actors.Behaviors} make behaviors,
 * {@link io.millrace.actors.ActorSystem} runs them on a few dispatcher threads, {@link io.millrace.actors.ActorRef}s
 * address them, {@link io.millrace.actors.AskPattern} asks them and the {@link io.millrace.actors.Receptionist}
 * finds them. Now within one JVM; the mailbox rings in shared memory that let any process on the host
 * {@code tell} them come next (docs/ARCHITECTURE.md, "Actors").
 */
package io.millrace.actors;
