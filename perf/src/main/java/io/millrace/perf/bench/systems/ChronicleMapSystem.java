package io.millrace.perf.bench.systems;

import io.millrace.perf.bench.BenchSystem;
import io.millrace.perf.bench.ChildCommand;
import io.millrace.perf.bench.Role;
import io.millrace.perf.bench.RoleContext;
import io.millrace.perf.bench.Scenario;
import io.millrace.perf.bench.Stage;
import io.millrace.perf.bench.TrialSpec;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code chronicle-map}: Chronicle Map 3.25ea6 persisted to a file in the trial directory, map-get and map-put. Its
 * Chronicle libraries (core/bytes/wire 2.25) clash with chronicle-queue 2026.4's on the harness's class path, so its
 * child runs on a class path of its own: the module {@code perf-chronicle-map} (built beside perf) holds the child's
 * main class and writes {@value #CLASSPATH_FILE} (its dependencies, without perf's) into its target directory; the
 * child gets that, its classes and perf's classes (not perf's jar, whose manifest would bring perf's libraries).
 */
public final class ChronicleMapSystem implements BenchSystem {

    static final String MODULE = "perf-chronicle-map";
    static final String CLASSPATH_FILE = "chronicle-map.classpath";
    /** The child's main class, in {@value #MODULE}. */
    static final String MAIN = "io.millrace.perf.cmap.ChronicleMapChild";

    @Override
    public String name() {
        return "chronicle-map";
    }

    @Override
    public String description() {
        return "Chronicle Map 3.25ea6 (own class path) of Long keys and byte[] values, persisted to a file in the "
                + "trial directory: get / put of random keys of " + Scenario.MAP_ENTRIES + " entries, each timed alone";
    }

    @Override
    public List<String> jvmFlags() {
        return ChronicleSystem.JVM_FLAGS;
    }

    @Override
    public Set<Scenario> scenarios() {
        return Set.of(Scenario.MAP_GET, Scenario.MAP_PUT);
    }

    @Override
    public Optional<String> unsupported(Scenario scenario, int size) {
        return classPath().isPresent() ? Optional.empty() : Optional.of(MODULE + " is not built (./mvnw -pl " + MODULE
                + " -am package writes " + MODULE + "/target/" + CLASSPATH_FILE + ")");
    }

    @Override
    public List<Stage> stages(TrialSpec trial) {
        String cp = classPath().orElseThrow(() -> new IllegalStateException(unsupported(trial.scenario(),
                trial.size()).orElseThrow()));
        return List.of(new Stage(List.of(new Stage.Launch(Role.DRIVER, 0,
                ChildCommand.java(this, Role.DRIVER, 0, trial, cp, MAIN))), false));
    }

    @Override
    public void run(RoleContext ctx) {
        throw new UnsupportedOperationException("chronicle-map runs in " + MAIN + " on its own class path");
    }

    /** The child's class path, if perf-chronicle-map is built next to the perf classes this runs from. */
    static Optional<String> classPath() {
        try {
            Path here = Path.of(ChronicleMapSystem.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path perfTarget = here.getParent();
            Path module = perfTarget.getParent().getParent().resolve(MODULE).resolve("target");
            Path deps = module.resolve(CLASSPATH_FILE);
            Path classes = module.resolve("classes");
            Path perfClasses = perfTarget.resolve("classes");
            if (!Files.isRegularFile(deps) || !Files.isDirectory(classes) || !Files.isDirectory(perfClasses)) {
                return Optional.empty();
            }
            return Optional.of(classes + File.pathSeparator + perfClasses + File.pathSeparator
                    + Files.readString(deps).strip());
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
