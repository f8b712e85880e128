package io.millrace.shm;

import org.openjdk.jcstress.JCStress;
import org.openjdk.jcstress.Main;
import org.openjdk.jcstress.Options;
import org.openjdk.jcstress.infra.Status;
import org.openjdk.jcstress.infra.collectors.DiskReadCollector;
import org.openjdk.jcstress.infra.collectors.InProcessCollector;
import org.openjdk.jcstress.infra.collectors.TestResult;
import org.openjdk.jcstress.infra.grading.ReportUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Runs the jcstress tests of this module and exits with a status a build can act on: 0 when every test ran and saw
 * no FORBIDDEN outcome, 1 otherwise, with a closing line {@code N passed, N failed} of the tests. Options are jcstress's
 * ({@code -m quick}, {@code -t Regex}, {@code -f 5}, {@code -h} ...).
 *
 * <p>Each run gets its own base directory under /dev/shm, passed to every fork with the native-access flag (futex
 * waits are an FFM downcall) through {@code -jvmArgsPrepend}; it is removed at the end, and the run fails if a fork
 * left a file in it.
 */
public final class StressMain {
    private static final String NATIVE_ACCESS = Jvm.NATIVE_ACCESS_FLAG;
    private static final Set<String> NOT_A_RUN = Set.of("-h", "-l", "-p");

    private StressMain() {
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.stream(args).anyMatch(NOT_A_RUN::contains)) {
            Main.main(args); // help, listing, re-parsing a result file: nothing runs
            return;
        }
        Path dir = createBaseDirectory();
        int status;
        try {
            Options options = new Options(withForkArgs(args, NATIVE_ACCESS + " -D" + StressRegions.DIR_PROPERTY + "="
                    + dir));
            if (!options.parse()) {
                status = 2;
            } else {
                JCStress jcstress = new JCStress(options);
                SortedSet<String> tests = jcstress.getTests();
                boolean jcstressFailed = false;
                try {
                    jcstress.run();
                } catch (AssertionError failures) {
                    jcstressFailed = true; // its verdict, printed above ("TEST FAILURES"): counted below
                }
                status = Math.max(grade(options.getResultFile(), tests), jcstressFailed ? 1 : 0);
            }
            List<String> left = filesIn(dir);
            if (!left.isEmpty()) {
                System.out.println("FAILED: the forks left files in " + dir + ": " + left);
                status = Math.max(status, 1);
            }
        } finally {
            StressRegions.deleteRecursively(dir);
        }
        System.exit(status);
    }

    /**
     * Adds {@code forkArgs} to the {@code -jvmArgsPrepend} of {@code args}: to the value given there (jcstress splits a
     * single value at spaces, but takes several values as they are), or as a new option.
     */
    static String[] withForkArgs(String[] args, String forkArgs) {
        List<String> out = new ArrayList<>(Arrays.asList(args));
        int at = out.indexOf("-jvmArgsPrepend");
        if (at >= 0 && at + 1 < out.size()) {
            out.set(at + 1, out.get(at + 1) + " " + forkArgs);
        } else {
            out.add("-jvmArgsPrepend");
            out.add(forkArgs);
        }
        return out.toArray(new String[0]);
    }

    /**
     * Lost wake-ups allowed per million samples of {@code SignalWakeStress}: the rare race of a fence-less waker (seen
     * once in 600,000 samples, under 2 per million); a Signal without its second re-check lost 356-364 in one short run
     * of a few million samples per configuration, one without re-checks nearly all.
     */
    static final long MAX_LOST_WAKE_UPS_PER_MILLION = 10;

    private static long lostWakeUpsPerMillion(TestResult result) {
        long total = result.getTotalCount();
        return total == 0 ? 0 : result.getCount("LOST_WAKE_UP") * 1_000_000L / total;
    }

    /** Reads the run's result file: prints one line per failed or erred test and a closing count; the exit status. */
    private static int grade(String resultFile, SortedSet<String> tests) throws Exception {
        InProcessCollector collector = new InProcessCollector();
        DiskReadCollector reader = new DiskReadCollector(resultFile, collector);
        reader.dump();
        reader.close();
        SortedSet<String> missing = new TreeSet<>(tests);
        int passed = 0;
        int failed = 0;
        List<TestResult> results = new ArrayList<>(ReportUtils.mergedByName(collector.getTestResults()));
        results.sort(Comparator.comparing(TestResult::getName));
        for (TestResult result : results) {
            missing.remove(result.getName());
            if (result.status() != Status.NORMAL) {
                failed++;
                System.out.println("ERROR: " + result.getName() + ": " + result.status() + " "
                        + result.getMessages().stream().limit(2).toList() + " (the full report is above)");
            } else if (lostWakeUpsPerMillion(result) > MAX_LOST_WAKE_UPS_PER_MILLION) {
                failed++;
                System.out.println("FAILED: " + result.getName() + ": " + result.getCount("LOST_WAKE_UP")
                        + " lost wake-ups in " + result.getTotalCount() + " samples, more than "
                        + MAX_LOST_WAKE_UPS_PER_MILLION + " per million (a broken re-check, not the rare race)");
            } else if (!result.grading().isPassed) {
                failed++;
                System.out.println("FAILED: " + result.getName() + ": " + result.grading().failureMessages);
            } else {
                passed++;
            }
        }
        for (String test : missing) {
            failed++;
            System.out.println("FAILED: " + test + ": no result");
        }
        if (tests.isEmpty()) {
            System.out.println("FAILED: no test matched");
            failed++;
        }
        System.out.println("mailbox-shm-stress: " + passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }

    private static Path createBaseDirectory() throws IOException {
        Path shm = Path.of("/dev/shm");
        Path root = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return Files.createTempDirectory(root, "millrace-stress-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private static List<String> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
