package io.millrace.perf.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a trial measures. Stream scenarios report messages (elements, items) per second seen by the measuring
 * role; round-trip scenarios report latency percentiles; {@link #COPY} is a limit-only scenario (single-thread copy
 * bandwidth) that other rows are related to.
 *
 * <p>Scenarios come in {@link Family families}. The {@link Family#TRANSPORT} ones ({@code spsc}, {@code mpsc3},
 * {@code pingpong}, {@code copy}) are what every system of the first comparison runs and what {@code bench} runs by
 * default; the others (actors, the Flux bridge, process pools) run only when named with {@code --scenarios}, and
 * only on the systems that declare them ({@link BenchSystem#scenarios()}).
 *
 * <p>The size column is a message size in bytes for most scenarios. For the scenarios whose
 * {@link #sizeKind()} is {@link SizeKind#VARIANT} it is a variant code instead (see {@link #formatSize(int)}):
 * {@code parallel-map}'s chunksize (0 = the library's default), {@code worker-start}'s start method (0 = fork,
 * 1 = spawn), and 0 alone for {@code task-dispatch} (a no-op task has no size).
 */
public enum Scenario {
    /** One producer process streams to one consumer process. */
    SPSC("spsc", Family.TRANSPORT, 1, List.of(Role.CONSUMER, Role.PRODUCER), Role.CONSUMER),
    /** Three producer processes stream to one consumer process. */
    MPSC3("mpsc3", Family.TRANSPORT, 3, List.of(Role.CONSUMER, Role.PRODUCER), Role.CONSUMER),
    /** A pinger sends one message and waits for the ponger's echo before the next. */
    PINGPONG("pingpong", Family.TRANSPORT, 1, List.of(Role.PONGER, Role.PINGER), Role.PINGER),
    /** In-process copy bandwidth of the message size (system {@code limit} only). */
    COPY("copy", Family.TRANSPORT, 0, List.of(Role.COPIER), Role.COPIER),

    /** One sender actor in the producer JVM tells one actor in the consumer JVM; msgs/s at the receiver. */
    ACTOR_TELL("actor-tell", Family.ACTOR, 1, List.of(Role.CONSUMER, Role.PRODUCER), Role.CONSUMER),
    /** Three sender JVMs, one sender actor each, tell one actor in the consumer JVM. */
    ACTOR_FANIN("actor-fanin", Family.ACTOR, 3, List.of(Role.CONSUMER, Role.PRODUCER), Role.CONSUMER),
    /** An asker in the pinger JVM asks one actor in the ponger JVM and waits for the reply: round trips. */
    ACTOR_ASK("actor-ask", Family.ACTOR, 1, List.of(Role.PONGER, Role.PINGER), Role.PINGER),
    /** Both actors of {@link #ACTOR_TELL} in one JVM (the driver). */
    ACTOR_LOCAL("actor-local", Family.ACTOR, 1, List.of(Role.DRIVER), Role.DRIVER),

    /** A publisher JVM streams elements to a subscriber JVM with prefetch 256; elements/s at the subscriber. */
    FLUX_STREAM("flux-stream", Family.FLUX, 1, List.of(Role.PRODUCER, Role.CONSUMER), Role.CONSUMER),
    /** The subscriber requests one element at a time: request(1) to onNext round trips. */
    FLUX_REQUEST1("flux-request1", Family.FLUX, 1, List.of(Role.PONGER, Role.PINGER), Role.PINGER),

    /** A no-op task submitted to a warm pool of worker processes, and its result back: round trips. */
    TASK_DISPATCH("task-dispatch", Family.POOL, 0, List.of(Role.DRIVER), Role.DRIVER),
    /** A trivial function over 1,000,000 ints on 2 worker processes; items/s. Size: the chunksize. */
    PARALLEL_MAP("parallel-map", Family.POOL, 0, List.of(Role.DRIVER), Role.DRIVER),
    /** A generator in a child process yields elements to the parent; elements/s at the parent. */
    GENERATOR_STREAM("generator-stream", Family.POOL, 0, List.of(Role.DRIVER), Role.DRIVER),
    /** A cold child worker, from its start to its first task done (p50). Size: the start method. */
    WORKER_START("worker-start", Family.POOL, 0, List.of(Role.DRIVER), Role.DRIVER),

    /** SIGKILL of a child JVM node to the {@code Terminated} of a watcher of its actor, over repeated kills. */
    WATCH_LATENCY("watch-latency", Family.LIFECYCLE, 0, List.of(Role.DRIVER), Role.DRIVER),
    /** A supervised actor's restart (failure to its next reply), or a child node's (SIGKILL to running again). */
    RESTART("restart", Family.LIFECYCLE, 0, List.of(Role.DRIVER), Role.DRIVER),
    /** A joinable child spawned in a child JVM, stopped, its snapshot merged in the parent: per join. */
    JOIN("join", Family.LIFECYCLE, 0, List.of(Role.DRIVER), Role.DRIVER),

    /** Atomic increments of one shared field, by 1 process or 2 on the same field; increments/s. Size: processes. */
    STRUCT_INC("struct-inc", Family.STATE, 0, List.of(Role.DRIVER), Role.DRIVER),
    /** Gets of random keys of a shared map of {@link #MAP_ENTRIES} entries; each timed: p50/p99 and ops/s. */
    MAP_GET("map-get", Family.STATE, 0, List.of(Role.DRIVER), Role.DRIVER),
    /** Puts (replacing the value) of random keys of the same map; each timed. */
    MAP_PUT("map-put", Family.STATE, 0, List.of(Role.DRIVER), Role.DRIVER),
    /** Transactions of 2 reads and 2 writes (a transfer between two counters); commits/s. Size: processes. */
    TX_COMMIT("tx-commit", Family.STATE, 0, List.of(Role.DRIVER), Role.DRIVER);

    /** Groups of scenarios that the same kind of system runs. */
    public enum Family {
        /** Rings, queues, pipes and sockets: the first comparison, run by default. */
        TRANSPORT,
        /** Actors across JVMs and within one (issue 12). */
        ACTOR,
        /** Reactive streams across JVMs (issue 14). */
        FLUX,
        /** Process pools and generators (issue 15). */
        POOL,
        /** Actor lifecycle across processes: watch, restart, join (issue 13). */
        LIFECYCLE,
        /** Shared state: live structs, the shared map, transactions (issue 16). */
        STATE
    }

    /** What the size column of a scenario's rows means. */
    public enum SizeKind {
        /** A message size in bytes, from {@code --sizes} or the scenario's default sizes. */
        BYTES,
        /** A variant code fixed by the scenario ({@link #formatSize(int)}); {@code --sizes} does not apply. */
        VARIANT
    }

    /** The chunksize variant of {@link #PARALLEL_MAP} that leaves the chunksize to the library. */
    public static final int DEFAULT_CHUNKSIZE = 0;
    /** The start-method variants of {@link #WORKER_START}. */
    public static final int START_FORK = 0;
    public static final int START_SPAWN = 1;
    /** The variants of {@link #RESTART}. */
    public static final int RESTART_ACTOR = 0;
    public static final int RESTART_NODE = 1;
    /** The variants of {@link #STRUCT_INC} and {@link #TX_COMMIT}: processes on the same state. */
    public static final int ONE_PROCESS = 1;
    public static final int TWO_PROCESSES = 2;
    /** Entries of the map of {@link #MAP_GET} and {@link #MAP_PUT} (8-byte keys; values of the row's size). */
    public static final int MAP_ENTRIES = 1_000_000;

    /** The scenarios {@code bench} runs when {@code --scenarios} is not given. */
    public static final List<Scenario> DEFAULTS = List.of(SPSC, MPSC3, PINGPONG);

    private final String id;
    private final Family family;
    private final int producers;
    private final List<Role> roles;
    private final Role measuringRole;

    Scenario(String id, Family family, int producers, List<Role> roles, Role measuringRole) {
        this.id = id;
        this.family = family;
        this.producers = producers;
        this.roles = roles;
        this.measuringRole = measuringRole;
    }

    /** The name used on the command line, in the table and in JSON. */
    public String id() {
        return id;
    }

    public Family family() {
        return family;
    }

    /** Producer processes in a stream scenario (0 otherwise). */
    public int producers() {
        return producers;
    }

    /** Roles in start order: the role that sets the channel up (consumer, ponger) comes first. */
    public List<Role> roles() {
        return roles;
    }

    /** The transport stream scenarios (spsc, mpsc3), to which the copy bandwidth and the limit probe relate. */
    public boolean isStream() {
        return this == SPSC || this == MPSC3;
    }

    /**
     * True for the streams whose consumer counts with {@link StreamMeter}, so that a row can carry the consumer
     * thread's CPU time (a row of these without it: a consumer that is not our Java thread, or changed threads).
     */
    public boolean isConsumerMetered() {
        return switch (this) {
            case SPSC, MPSC3, ACTOR_TELL, ACTOR_FANIN, ACTOR_LOCAL, FLUX_STREAM -> true;
            default -> false;
        };
    }

    /** True for scenarios whose figure is a round-trip latency (p50/p99/p99.9) rather than a rate. */
    public boolean isRoundTrip() {
        return switch (this) {
            case PINGPONG, ACTOR_ASK, FLUX_REQUEST1, TASK_DISPATCH, WORKER_START, WATCH_LATENCY, RESTART, JOIN, MAP_GET,
                 MAP_PUT -> true;
            default -> false;
        };
    }

    /** The role whose {@code RESULT} lines are the measurement. */
    public Role measuringRole() {
        return measuringRole;
    }

    /** How many processes of {@code role} this scenario runs. */
    public int count(Role role) {
        return role == Role.PRODUCER ? producers : roles.contains(role) ? 1 : 0;
    }

    public SizeKind sizeKind() {
        return switch (this) {
            case TASK_DISPATCH, PARALLEL_MAP, WORKER_START, WATCH_LATENCY, RESTART, JOIN, STRUCT_INC, TX_COMMIT ->
                    SizeKind.VARIANT;
            default -> SizeKind.BYTES;
        };
    }

    /**
     * The sizes of this scenario's rows: for transport scenarios, {@code given} (the {@code --sizes} option or the
     * harness's defaults); for the other byte-sized ones, {@code given} if the user named sizes, else their own
     * defaults (64 B for actors and generators, 64 B and 1 KiB for flux-stream); for variant scenarios, their
     * variants always.
     */
    public List<Integer> sizes(List<Integer> given, boolean explicit) {
        return switch (this) {
            case SPSC, MPSC3, PINGPONG, COPY -> given;
            case ACTOR_TELL, ACTOR_FANIN, ACTOR_ASK, ACTOR_LOCAL, FLUX_REQUEST1, GENERATOR_STREAM, MAP_GET, MAP_PUT ->
                    explicit ? given : List.of(64);
            case FLUX_STREAM -> explicit ? given : List.of(64, 1024);
            case TASK_DISPATCH, WATCH_LATENCY, JOIN -> List.of(0);
            case RESTART -> List.of(RESTART_ACTOR, RESTART_NODE);
            case PARALLEL_MAP -> List.of(DEFAULT_CHUNKSIZE, 1);
            case WORKER_START -> List.of(START_FORK, START_SPAWN);
            case STRUCT_INC, TX_COMMIT -> List.of(ONE_PROCESS, TWO_PROCESSES);
        };
    }

    /** Empty if {@code size} is a valid size column for this scenario; otherwise what is wrong. */
    public Optional<String> checkSize(int size) {
        if (sizeKind() == SizeKind.VARIANT) {
            List<Integer> variants = sizes(List.of(), false);
            return variants.contains(size) ? Optional.empty()
                    : Optional.of("size=" + size + " is not a variant of " + id + " (variants " + variants + ")");
        }
        return size < Sizes.MIN || size > Sizes.MAX
                ? Optional.of("size=" + size + " is outside " + Sizes.MIN + ".." + Sizes.MAX) : Optional.empty();
    }

    /** The size column as shown in the table: bytes ({@link Sizes#format}) or the variant's name. */
    public String formatSize(int size) {
        return switch (this) {
            case TASK_DISPATCH, WATCH_LATENCY, JOIN -> "-";
            case RESTART -> size == RESTART_ACTOR ? "actor" : size == RESTART_NODE ? "node" : "restart " + size;
            case PARALLEL_MAP -> size == DEFAULT_CHUNKSIZE ? "chunk dflt" : "chunk " + size;
            case WORKER_START -> size == START_FORK ? "fork" : size == START_SPAWN ? "spawn" : "start " + size;
            case STRUCT_INC, TX_COMMIT -> size == ONE_PROCESS ? "1 proc" : size + " procs";
            default -> Sizes.format(size);
        };
    }

    /** The scenarios of {@code family}. */
    public static List<Scenario> of(Family family) {
        return Arrays.stream(values()).filter(s -> s.family == family).toList();
    }

    public static Optional<Scenario> byId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
