/**
 * Millrace's shared-memory core: regions (memory-mapped files), sequenced rings, shared atomics, wait
 * strategies and liveness. Depends on the JDK only.
 */
module io.millrace.shm {
    exports io.millrace.shm;
}
