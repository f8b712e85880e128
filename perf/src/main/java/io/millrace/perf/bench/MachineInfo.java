package io.millrace.perf.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The machine and JDK a run measured, for the table header and RESULTS.md. */
public record MachineInfo(int cpus, String cpuModel, long memoryBytes, String jdk, String os, String python,
                          String load) {

    /** Without load figures (tests). */
    public MachineInfo(int cpus, String cpuModel, long memoryBytes, String jdk, String os, String python) {
        this(cpus, cpuModel, memoryBytes, jdk, os, python, null);
    }

    /** The 1/5/15-minute load averages from /proc/loadavg, or "unknown". */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** @param loadAtStart the load averages when the run started, shown with those at the end */
    public static MachineInfo detect(String loadAtStart) {
        String model = "unknown CPU";
        long mem = 0;
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                    .findFirst().orElse(model);
            mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).findFirst().orElse(0L);
        } catch (IOException | RuntimeException e) {
            // not Linux: leave the defaults
        }
        String jdk = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + " (" + System.getProperty("java.vendor") + ")";
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), model, mem, jdk, os, pythonVersion(),
                "load average (1/5/15 min) at start " + loadAtStart + ", at end " + loadAverage()
                        + " (anything else running disturbs spinning processes on " + Runtime.getRuntime()
                        .availableProcessors() + " CPUs)");
    }

    /** {@code python3 --version}, or null where there is no python3. */
    public static String pythonVersion() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            try {
                String out = new String(p.getInputStream().readAllBytes()).strip();
                return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
            } finally {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public List<String> describe() {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "machine: " + cpus + " CPUs (nproc), " + cpuModel + ", "
                        + String.format(Locale.ROOT, "%.1f GiB", memoryBytes / (double) (1L << 30)) + " memory, " + os,
                "jdk: " + jdk,
                "python: " + (python == null ? "none (python rows omitted)" : python)));
        if (load != null) {
            lines.add(load);
        }
        return lines;
    }
}
