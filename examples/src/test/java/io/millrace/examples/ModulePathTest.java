package io.millrace.examples;

import io.millrace.shm.ChildJvm;
import io.millrace.shm.Jvm;
import io.millrace.shm.ShmDirectory;
import io.millrace.shm.ShmTestDirectory;
import io.millrace.shm.UserModule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Millrace works on the module path: a user module ({@code src/test/modules/example.modpath}, compiled here) runs as
 * {@code -m example.modpath/...} with every Millrace module and dependency on the module path, spawns a node (a child
 * JVM that must come up on the module path too, with the user's module resolved), ships a lambda there, asks the
 * remote actor with the module's records and has it sum a Flux of records published by the first JVM. Native access
 * is denied to every module but {@link Jvm#NATIVE_ACCESS_MODULES}, so a restricted call from any other fails the run.
 * A record and a main of a package closed to Millrace are refused with the module-info directive to add.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModulePathTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** The modules a Millrace application needs, by module name (automatic ones included); slf4j-simple is a log binding. */
    private static final Set<String> MODULES = Set.of("io.millrace.shm", "io.millrace.actors", "io.millrace.reactive",
            "io.millrace.generators",
            "com.lmax.disruptor", "org.slf4j", "org.slf4j.simple", "reactor.core", "org.reactivestreams");
    private static final Path APP_SOURCES = Path.of("src", "test", "modules", "example.modpath");

    @RegisterExtension
    final ShmTestDirectory dir = new ShmTestDirectory();

    @TempDir
    static Path compiled;
    static String modulePath;

    @BeforeAll
    static void compileTheUserModule() throws IOException {
        modulePath = UserModule.compile(APP_SOURCES, MODULES, compiled);
    }

    @Test
    void shouldTellAskAndStreamBetweenTwoJvmsOnTheModulePath() throws Exception {
        try (ChildJvm app = ChildJvm.exec(command("ModulePathApp"), Map.of(ShmDirectory.DIR_ENV, dir.path().toString()))) {
            assertThat(app.awaitLine("MODULES", WAIT)).isEqualTo("MODULES example.modpath+io.millrace.actors");
            String sum = app.awaitLine("SUM", WAIT);
            assertThat(sum).as("summed in the node, itself on the module path")
                    .startsWith("SUM 5050 OF 100 IN example.modpath+io.millrace.actors ON ")
                    .doesNotEndWith(" ON " + app.pid());
            assertThat(app.awaitLine("CODEC", WAIT)).as("a record of a closed package, refused")
                    .contains("opens example.modpath.closed to io.millrace.actors;", "module example.modpath");
            assertThat(app.awaitLine("LAUNCH", WAIT)).as("a child JVM's main in a closed package, refused")
                    .contains("status=2", "exports example.modpath.closed to io.millrace.actors;");
            assertThat(app.awaitExit(WAIT)).as("exit status; it printed %s", app.transcript()).isZero();
            assertThat(app.transcript()).contains("DONE")
                    .noneMatch(line -> line.contains("WARNING")); // no restricted-method or module warnings
        }
        assertThat(dir.files()).as("both JVMs removed their regions").isEmpty();
    }

    @Test
    void shouldRunTasksMapsAndGeneratorsOfAUserModuleInWorkersOnTheModulePath() throws Exception {
        try (ChildJvm app = ChildJvm.exec(command("PoolApp"), Map.of(ShmDirectory.DIR_ENV, dir.path().toString()))) {
            String task = app.awaitLine("TASK", WAIT);
            assertThat(task).as("the task's class and the pool, in a worker itself on the module path")
                    .startsWith("TASK example.modpath+io.millrace.generators ON ").doesNotEndWith(" ON " + app.pid());
            assertThat(app.awaitLine("MAP", WAIT)).isEqualTo("MAP 10100 OF 100");
            assertThat(app.awaitLine("GENERATOR", WAIT)).isEqualTo("GENERATOR [1, 2, 3, 4, 5]");
            assertThat(app.awaitExit(WAIT)).as("exit status; it printed %s", app.transcript()).isZero();
            assertThat(app.transcript()).contains("DONE").noneMatch(line -> line.contains("WARNING"));
        }
        assertThat(dir.files()).as("the app and its worker removed their regions").isEmpty();
    }

    /** {@code java -m example.modpath/example.modpath.<main>}, native access denied but to Millrace's modules. */
    private static List<String> command(String main) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=" + Jvm.NATIVE_ACCESS_MODULES, "--illegal-native-access=deny", "-Xmx256m",
                "--module-path", modulePath, "-m", "example.modpath/example.modpath." + main);
    }
}
