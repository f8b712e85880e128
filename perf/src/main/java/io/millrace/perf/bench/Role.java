package io.millrace.perf.bench;

import java.util.Locale;

/** What one child process does in a trial. */
public enum Role {
    /** Sets up the stream channel, reports {@code READY}, receives and counts; reports one result per repetition. */
    CONSUMER(true),
    /** Attaches to the channel, waits for {@code GO}, streams time-bound repetitions each ended by a marker. */
    PRODUCER(false),
    /** Sets up the two channels, reports {@code READY}, echoes every message until the stop message. */
    PONGER(true),
    /** Attaches, waits for {@code GO}, times round trips into a histogram per repetition. */
    PINGER(false),
    /** Copies the message size in-process and reports copies per second (limit only). */
    COPIER(false),
    /**
     * Runs a whole trial from one process, and measures: both sides in-process (actor-local, local transports),
     * or a parent that starts its own workers (process pools). Reports {@code READY}, waits for {@code GO}.
     */
    DRIVER(false);

    private final boolean server;

    Role(boolean server) {
        this.server = server;
    }

    /** A server role is started first and must report {@code READY} before the clients start. */
    public boolean isServer() {
        return server;
    }

    /** Clients wait for the harness's {@code GO} so that every process starts measuring together. */
    public boolean awaitsGo() {
        return !server;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role byId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    /** The work of one role in a child process. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /**
     * Runs the body of this role, for a system that plays the four stream and round-trip roles; the copier role
     * (limit only) is refused.
     */
    public void dispatch(Body consumer, Body producer, Body ponger, Body pinger) throws Exception {
        switch (this) {
            case CONSUMER -> consumer.run();
            case PRODUCER -> producer.run();
            case PONGER -> ponger.run();
            case PINGER -> pinger.run();
            default -> throw new IllegalArgumentException("role " + id() + " is not played by this system");
        }
    }
}
