package io.millrace.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.millrace.shm.Jvm;
import io.millrace.shm.RegionSpec;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;

/**
 * A child JVM for tests: creates region {@code <name>} in {@code <base-dir>} (a ring and an atomic), prints
 * {@code ready <name>} on stdout, then holds the region until its stdin closes or it is killed.
 */
public final class RegionHolder {
    private RegionHolder() {
    }

    /** Starts a holder of region {@code name} in {@code base} and returns once it has created the region. */
    static Process start(Path base, String name) throws IOException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                Jvm.NATIVE_ACCESS_FLAG, "-cp", System.getProperty("java.class.path"),
                RegionHolder.class.getName(), base.toString(), name)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII));
        String line = lines.readLine(); // blocks until the child has created the region, or has exited
        if (line == null || !line.startsWith("ready")) {
            process.destroyForcibly();
            throw new IllegalStateException("RegionHolder for '" + name + "' did not start: it printed " + line);
        }
        return process;
    }

    public static void main(String[] args) throws IOException {
        ShmDirectory directory = ShmDirectory.at(Path.of(args[0]));
        try (SharedRegion region = directory.create(RegionSpec.named(args[1]).mpscRing("inbox", 1 << 16)
                .atomicLong("count").build())) {
            System.out.println("ready " + region.name());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the region until stdin closes
            }
        }
    }
}
