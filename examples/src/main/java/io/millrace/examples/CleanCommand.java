package io.millrace.examples;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.millrace.shm.CleanDecision;
import io.millrace.shm.ShmDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code millrace clean}: removes the regions whose processes are all dead, as {@link ShmDirectory#cleanPlan()}
 * decides, and prints each decision with its reason. Regions in use and files that are not Millrace regions are
 * left alone. {@code --dry-run} prints the same plan and removes nothing.
 */
@Command(name = "clean", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Remove regions whose processes are all dead (--dry-run to list them).")
final class CleanCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "PATH",
            description = "Base directory to clean (default: $MILLRACE_DIR, else /dev/shm/millrace-$USER).")
    Path dir;

    @Option(names = "--dry-run", description = "List what would be removed, and why; remove nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        Path base = Options.directory(spec, "--dir", dir);
        PrintWriter out = spec.commandLine().getOut();
        if (!Files.isDirectory(base)) {
            out.printf("Nothing to clean: %s does not exist.%n", base);
            out.flush();
            return 0;
        }
        ShmDirectory directory = ShmDirectory.at(base);
        List<String> names = directory.list();
        if (names.isEmpty()) {
            out.printf("No regions in %s: nothing to remove.%n", base);
            out.flush();
            return 0;
        }
        out.printf("Looked in %s: %s%s%n", base, regions(names.size()), dryRun ? " (dry run: nothing is removed)" : "");
        List<CleanDecision> decisions = dryRun ? directory.cleanPlan() : directory.clean();
        for (CleanDecision decision : decisions) {
            String action = decision.remove() ? (dryRun ? "would remove" : "removed") : "keep";
            out.printf("  %s %s: %s%n", action, decision.name(), decision.reason());
        }
        long removed = decisions.stream().filter(CleanDecision::remove).count();
        out.printf("%s %s of %s.%n", dryRun ? "Would remove" : "Removed", removed == 0 ? "none" : Formats.count(removed),
                regions(names.size()));
        out.flush();
        return 0;
    }

    private static String regions(long n) {
        return n == 1 ? "1 region" : Formats.count(n) + " regions";
    }
}
