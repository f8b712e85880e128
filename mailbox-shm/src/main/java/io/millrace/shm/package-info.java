/**
 * Shared regions, sequenced rings, shared atomics, wait strategies and liveness over memory-mapped files.
 */
package io.millrace.shm;
