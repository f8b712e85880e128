package io.millrace.shm;

/**
 * What a JVM that uses Millrace needs on its command line, for code that starts one: child processes, benchmark
 * forks, launchers.
 *
 * <pre>{@code
 * new ProcessBuilder(java, Jvm.NATIVE_ACCESS_FLAG, "-cp", classPath, mainClass).start();
 * }</pre>
 */
public final class Jvm {
    /**
     * Lets Millrace call native code through the FFM API (futex waits, {@code posix_fallocate}) without a
     * restricted-method warning. This constant is the source; the {@code millrace.nativeAccess} property of the root
     * {@code pom.xml} (for the JVMs Maven starts) and the {@code millrace} launcher script mirror it, and a test checks
     * that they agree.
     */
    public static final String NATIVE_ACCESS_FLAG = "--enable-native-access=ALL-UNNAMED";

    /**
     * The modules that call native code when Millrace runs on the module path: this one (futex waits,
     * {@code posix_fallocate}) and {@code io.millrace.actors} (pidfd and {@code poll} in its process watch), as
     * {@code --enable-native-access=} takes them.
     */
    public static final String NATIVE_ACCESS_MODULES = "io.millrace.shm,io.millrace.actors";

    private Jvm() {
    }
}
