/**
 * Functions, generators and parallel maps run in child JVMs and streamed back as {@code Flux}, with
 * extract/merge of each child's state at join. Not built yet: see docs/ARCHITECTURE.md for the plan.
 */
package io.millrace.generators;
