package io.millrace.perf.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a trial measures. Stream scenarios ({@link #SPSC}, {@link #MPSC3}) report messages per second seen
 * by the consumer; {@link #PINGPONG} reports round-trip latency percentiles; {@link #COPY} is a limit-only
 * scenario (single-thread copy bandwidth) that other rows are related to.
 */
public enum Scenario {
    /** One producer process streams to one consumer process. */
    SPSC("spsc", 1, List.of(Role.CONSUMER, Role.PRODUCER)),
    /** Three producer processes stream to one consumer process. */
    MPSC3("mpsc3", 3, List.of(Role.CONSUMER, Role.PRODUCER)),
    /** A pinger sends one message and waits for the ponger's echo before the next. */
    PINGPONG("pingpong", 1, List.of(Role.PONGER, Role.PINGER)),
    /** In-process copy bandwidth of the message size (system {@code limit} only). */
    COPY("copy", 0, List.of(Role.COPIER));

    private final String id;
    private final int producers;
    private final List<Role> roles;

    Scenario(String id, int producers, List<Role> roles) {
        this.id = id;
        this.producers = producers;
        this.roles = roles;
    }

    /** The name used on the command line, in the table and in JSON. */
    public String id() {
        return id;
    }

    /** Producer processes in a stream scenario (0 otherwise). */
    public int producers() {
        return producers;
    }

    /** Roles in start order: the role that sets the channel up (consumer, ponger) comes first. */
    public List<Role> roles() {
        return roles;
    }

    public boolean isStream() {
        return this == SPSC || this == MPSC3;
    }

    /** The role whose {@code RESULT} lines are the measurement. */
    public Role measuringRole() {
        return switch (this) {
            case SPSC, MPSC3 -> Role.CONSUMER;
            case PINGPONG -> Role.PINGER;
            case COPY -> Role.COPIER;
        };
    }

    /** How many processes of {@code role} this scenario runs. */
    public int count(Role role) {
        return role == Role.PRODUCER ? producers : roles.contains(role) ? 1 : 0;
    }

    public static Optional<Scenario> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
