package io.millrace.shm;

/**
 * A ring's single consumer, or an SPSC ring's single producer, is already a live process other than this one: this
 * process may not take the role. Nothing was written. Use another ring, an MPSC ring for several producers, or wait
 * until the holder closes its region or dies (a dead holder's role is taken over).
 */
public final class RoleTakenException extends ShmException {
    /** The roles of a ring that only one process holds at a time. */
    public enum Role {
        /** The process that polls the ring (every ring has one). */
        CONSUMER,
        /** The process that offers on an SPSC ring. */
        SPSC_PRODUCER
    }

    private final String ringName;
    private final Role role;
    private final long holderPid;

    /**
     * @param message   names the ring, the role and the holder
     * @param ringName  the ring's name in its region
     * @param role      the role refused
     * @param holderPid the pid of the live process that holds it
     */
    public RoleTakenException(String message, String ringName, Role role, long holderPid) {
        super(message);
        this.ringName = ringName;
        this.role = role;
        this.holderPid = holderPid;
    }

    /** @return the ring's name in its region */
    public String ringName() {
        return ringName;
    }

    /** @return the role this process was refused */
    public Role role() {
        return role;
    }

    /** @return the pid of the live process that holds the role */
    public long holderPid() {
        return holderPid;
    }
}
