package io.millrace.perf.bench;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One system in the comparison: Millrace, a peer, or the machine's limits. A system says which JVM flags its
 * documentation asks for, which scenario/size pairs it can run (and why not, otherwise), and runs each
 * {@link Role} of a trial in a child process that the harness starts.
 *
 * <p>Adding a peer: implement {@link #name()}, {@link #unsupported(Scenario, int)} and {@link #run(RoleContext)}
 * (usually {@link Role#dispatch} to one method per role, using {@link ProducerLoop}, {@link StreamMeter} and
 * {@link PingLoop}), then list it in {@link Systems}. Adding a scenario: add it to {@link Scenario} with its
 * roles; systems that cannot run it say so in {@code unsupported}.
 *
 * <p>The child protocol (see {@link RoleContext}): servers (consumer, ponger) set the channel up and report
 * {@code READY}, optionally with properties the clients need (a port); clients (producers, pinger) attach,
 * report {@code READY} and wait for {@code GO}; the measuring role reports one {@code RESULT} per repetition.
 */
public interface BenchSystem {

    /** The transport scenarios: what the systems of the first comparison (rings, queues, pipes, sockets) play. */
    Set<Scenario> TRANSPORT = Collections.unmodifiableSet(EnumSet.copyOf(Scenario.of(Scenario.Family.TRANSPORT)));

    /** The name used in {@code --systems}, the table and JSON. */
    String name();

    /** One line saying what is measured, printed under the table. */
    String description();

    /** JVM flags this system's documentation asks for, added after {@link ChildCommand#COMMON_JVM_FLAGS}. */
    default List<String> jvmFlags() {
        return List.of();
    }

    /**
     * The scenarios this system plays (by default the transport ones); the harness omits the others without asking
     * {@link #unsupported}. A system that declares a scenario may still refuse some sizes of it there.
     */
    default Set<Scenario> scenarios() {
        return TRANSPORT;
    }

    /** Empty if this system runs {@code scenario} at {@code size}; otherwise why the row is omitted. */
    Optional<String> unsupported(Scenario scenario, int size);

    /** Why the harness leaves the row out: a scenario this system does not declare, or {@link #unsupported}. */
    default Optional<String> omission(Scenario scenario, int size) {
        if (!scenarios().contains(scenario)) {
            return Optional.of("plays only the scenarios " + scenarios().stream().sorted().map(Scenario::id).toList());
        }
        return unsupported(scenario, size);
    }

    /**
     * The measurement that stands for the row ({@code scenario}, {@code size}). Rows with the same measurement
     * share one trial: the {@code limit} system measures its SPSC probe once for spsc and mpsc3 rows, and its
     * cache-line round trip once for every pingpong size up to 64 B.
     */
    default Measurement measurement(Scenario scenario, int size) {
        return new Measurement(name(), scenario, size);
    }

    /**
     * Upper bound on bytes one repetition may send, for systems that keep every message (Chronicle Queue's
     * files would otherwise fill /dev/shm). Producers stop a repetition at this bound or at its time limit.
     */
    default long maxBytesPerRepetition() {
        return Long.MAX_VALUE;
    }

    /** The processes of one trial, in start order. The default starts one Java child per role. */
    default List<Stage> stages(TrialSpec trial) {
        return Stage.javaRoles(this, trial);
    }

    /** Runs {@code ctx.role()} in a child process; returns when the role is done. */
    void run(RoleContext ctx) throws Exception;

    /** The measurement behind a row: which system/scenario/size trial produces it. */
    record Measurement(String system, Scenario scenario, int size) { }
}
