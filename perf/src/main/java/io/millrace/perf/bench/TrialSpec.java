package io.millrace.perf.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one trial runs, handed to every child as {@code key=value} arguments.
 *
 * @param system     the system's name
 * @param scenario   what is measured
 * @param size       message size in bytes
 * @param warmupMs   length of the unreported warm-up repetition (repetition 0)
 * @param repMs      length of each reported repetition
 * @param reps       reported repetitions (1..reps)
 * @param dir        the trial's private directory; the harness deletes it afterwards
 */
public record TrialSpec(String system, Scenario scenario, int size, int warmupMs, int repMs, int reps, Path dir) {

    public TrialSpec {
        scenario.checkSize(size).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        if (reps < 1 || warmupMs < 0 || repMs < 1) {
            throw new IllegalArgumentException("reps=" + reps + " warmupMs=" + warmupMs + " repMs=" + repMs);
        }
    }

    List<String> toArgs() {
        List<String> args = new ArrayList<>();
        args.add("system=" + system);
        args.add("scenario=" + scenario.id());
        args.add("size=" + size);
        args.add("warmupMs=" + warmupMs);
        args.add("repMs=" + repMs);
        args.add("reps=" + reps);
        args.add("dir=" + dir);
        return args;
    }

    static TrialSpec fromArgs(Map<String, String> args) {
        return new TrialSpec(required(args, "system"),
                Scenario.byId(required(args, "scenario")).orElseThrow(),
                Integer.parseInt(required(args, "size")),
                Integer.parseInt(required(args, "warmupMs")),
                Integer.parseInt(required(args, "repMs")),
                Integer.parseInt(required(args, "reps")),
                Path.of(required(args, "dir")));
    }

    private static String required(Map<String, String> args, String key) {
        String v = args.get(key);
        if (v == null) {
            throw new IllegalArgumentException("child argument " + key + "=... is missing: " + args);
        }
        return v;
    }
}
