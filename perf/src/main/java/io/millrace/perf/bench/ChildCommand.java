package io.millrace.perf.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.millrace.shm.Jvm;

/** Builds the command line of a child JVM: the same java and class path as this JVM, plus the system's flags. */
public final class ChildCommand {

    /**
     * Flags every child JVM gets, whatever the system: FFM's native access (Millrace's only requirement; the
     * harness's own probes use FFM too), the same collector and heap for everyone, and no hsperfdata file in
     * /tmp (a killed child would leave it behind).
     */
    public static final List<String> COMMON_JVM_FLAGS =
            List.of(Jvm.NATIVE_ACCESS_FLAG, "-XX:+UseParallelGC", "-Xms256m", "-Xmx1g", "-XX:-UsePerfData");

    private ChildCommand() {
    }

    /** The java launcher of the running JDK. */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static List<String> java(BenchSystem system, Role role, int index, TrialSpec trial) {
        return java(system, role, index, trial, System.getProperty("java.class.path"), ChildMain.class.getName());
    }

    /**
     * A child on a class path of its own ({@code classPath}) started by {@code mainClass}, which takes the same
     * arguments as {@link ChildMain} and builds its context with {@link RoleContext#parse}: for a peer whose
     * libraries clash with the harness's.
     */
    public static List<String> java(BenchSystem system, Role role, int index, TrialSpec trial, String classPath,
                                    String mainClass) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBinary());
        cmd.addAll(COMMON_JVM_FLAGS);
        cmd.addAll(system.jvmFlags());
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.add(role.id());
        cmd.add(Integer.toString(index));
        cmd.addAll(trial.toArgs());
        return cmd;
    }
}
