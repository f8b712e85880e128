/**
 * Typed actors whose mailboxes are rings in shared memory, so that any process on the host can
 * {@code tell} or {@code ask} them. Not built yet: see docs/ARCHITECTURE.md for the plan.
 */
package io.millrace.actors;
