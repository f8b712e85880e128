package io.millrace.shm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process as other processes can recognise it: its pid and its start time. The start time guards against
 * pid reuse: a pid that now belongs to a younger process is not the participant that registered it.
 *
 * <p>On Linux the start time is field 22 of {@code /proc/<pid>/stat} (clock ticks since boot), read the same
 * way by every process on the host, and a zombie (state {@code Z}) counts as dead. Elsewhere it is the start
 * instant in milliseconds from {@link ProcessHandle}.
 */
record ProcessIdentity(long pid, long startTime) {

    private static final boolean PROC = Files.isReadable(Path.of("/proc/self/stat"));
    private static final ProcessIdentity CURRENT = lookup(ProcessHandle.current().pid())
            .orElseThrow(() -> new IllegalStateException("cannot read this process's own start time"));

    static ProcessIdentity current() {
        return CURRENT;
    }

    /**
     * True when a process with this pid exists, is not a zombie, and started at {@code startTime}. A {@code /proc}
     * entry that cannot be read for another reason than the process being gone (this process out of file
     * descriptors, say) counts as alive: taking a live peer for dead would let a survivor take its claims or remove
     * its region, while taking a dead one for alive only delays that until the next look.
     */
    static boolean isAlive(long pid, long startTime) {
        if (pid <= 0) {
            return false;
        }
        if (PROC) {
            try {
                return read(pid).map(found -> found.startTime == startTime).orElse(false);
            } catch (IOException e) {
                return entryExists(pid);
            }
        }
        return lookup(pid).map(found -> found.startTime == startTime).orElse(false);
    }

    /** The identity of the live process {@code pid}, or empty when there is none (or only a zombie, or unreadable). */
    static Optional<ProcessIdentity> lookup(long pid) {
        if (PROC) {
            try {
                return read(pid);
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .flatMap(handle -> handle.info().startInstant())
                .map(start -> new ProcessIdentity(pid, start.toEpochMilli()));
    }

    /**
     * Whether {@code /proc/<pid>} is there, asked after its {@code stat} could not be read: gone (no such entry, or
     * {@code ESRCH} for a process reaped while it was read) is the only failure that removes it. A stat needs no
     * file descriptor, and its answer does not depend on an error message's wording.
     */
    static boolean entryExists(long pid) {
        return Files.exists(Path.of("/proc/" + pid));
    }

    /** {@code /proc/<pid>/stat} read: the identity, or empty for a zombie or an entry that does not parse. */
    private static Optional<ProcessIdentity> read(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
        // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
        try {
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            if (fields[0].equals("Z") || fields[0].equals("X")) {
                return Optional.empty();
            }
            return Optional.of(new ProcessIdentity(pid, Long.parseLong(fields[19])));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
