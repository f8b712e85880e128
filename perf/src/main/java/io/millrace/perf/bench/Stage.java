package io.millrace.perf.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Processes the harness starts together. After a stage starts, the harness waits for {@code READY} from each
 * of its processes before starting the next stage; properties they report are appended to later commands.
 *
 * @param launches the processes
 * @param pipeline start them with {@link ProcessBuilder#startPipeline}: each one's stdout feeds the next one's stdin
 */
public record Stage(List<Launch> launches, boolean pipeline) {

    /**
     * One process: its role and index (producer 0, 1, 2), the command that starts it, and whether it waits for
     * the harness's {@code GO} on stdin after {@code READY} (by default, clients do).
     */
    public record Launch(Role role, int index, List<String> command, boolean awaitsGo) {
        public Launch(Role role, int index, List<String> command) {
            this(role, index, command, role.awaitsGo());
        }

        public String label() {
            return role.id() + (role == Role.PRODUCER ? "-" + index : "");
        }
    }

    /** The default plan: one Java child per role; servers in the first stage, clients in the second. */
    public static List<Stage> javaRoles(BenchSystem system, TrialSpec trial) {
        List<Launch> servers = new ArrayList<>();
        List<Launch> clients = new ArrayList<>();
        for (Role role : trial.scenario().roles()) {
            for (int i = 0; i < trial.scenario().count(role); i++) {
                Launch launch = new Launch(role, i, ChildCommand.java(system, role, i, trial));
                (role.isServer() ? servers : clients).add(launch);
            }
        }
        List<Stage> stages = new ArrayList<>();
        if (!servers.isEmpty()) {
            stages.add(new Stage(servers, false));
        }
        if (!clients.isEmpty()) {
            stages.add(new Stage(clients, false));
        }
        return stages;
    }
}
