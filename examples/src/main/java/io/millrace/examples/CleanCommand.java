package io.millrace.examples;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.millrace.shm.ParticipantInfo;
import io.millrace.shm.RegionException;
import io.millrace.shm.RegionSnapshot;
import io.millrace.shm.ShmDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code millrace clean}: removes the regions whose processes are all dead, with {@link ShmDirectory#clean()},
 * which decides. Regions in use and files that are not Millrace regions are left alone.
 *
 * <p>{@code --dry-run} removes nothing. {@code ShmDirectory} has no way to ask for its decision without acting
 * on it, so the dry run repeats the rule on {@link ShmDirectory#inspect(String)}: a ready region is removable
 * when none of its participants is alive ({@link #removable(RegionSnapshot)}). A region never marked ready is
 * removed by {@code clean()} once its creator is dead, which {@code inspect} cannot tell; the dry run says so.
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
        Map<String, Verdict> verdicts = new LinkedHashMap<>();
        for (String name : names) {
            verdicts.put(name, verdict(directory, name));
        }
        if (dryRun) {
            verdicts.forEach((name, verdict) -> out.printf("  %s %s: %s%n", verdict.action().words, name,
                    verdict.reason()));
            long removable = verdicts.values().stream().filter(v -> v.action() == Action.REMOVE).count();
            out.printf("Would remove %s of %s.%n", removable == 0 ? "none" : Formats.count(removable),
                    regions(names.size()));
        } else {
            List<String> removed = directory.clean();
            for (String name : removed) {
                Verdict verdict = verdicts.get(name);
                String why = verdict == null ? "" : verdict.action() == Action.UNDECIDED
                        ? " (never marked ready, and its creator is dead)" : " (" + verdict.reason() + ")";
                out.printf("  removed %s%s%n", name, why);
            }
            List<String> kept = names.stream().filter(n -> !removed.contains(n)).toList();
            if (removed.isEmpty()) {
                out.printf("Removed none of %s (in use, or not Millrace regions).%n", regions(names.size()));
            } else {
                out.printf("Removed %s of %s%s.%n", Formats.count(removed.size()), regions(names.size()),
                        kept.isEmpty() ? "" : "; kept (in use, or not Millrace regions): " + String.join(", ", kept));
            }
        }
        out.flush();
        return 0;
    }

    /**
     * A ready region may be removed when no participant is alive: every process that attached has died or
     * detached. The same rule as {@link ShmDirectory#clean()} for ready regions.
     */
    static boolean removable(RegionSnapshot snapshot) {
        return snapshot.participants().stream().noneMatch(ParticipantInfo::alive);
    }

    /** What {@code clean()} does with a region file. */
    enum Action {
        REMOVE("would remove"), KEEP("keep"), UNDECIDED("may remove");

        final String words;

        Action(String words) {
            this.words = words;
        }
    }

    /** What {@code clean()} does with a region, and why. */
    record Verdict(Action action, String reason) {
    }

    /** What {@code clean()} does with region {@code name}, as far as {@code inspect} can tell. */
    static Verdict verdict(ShmDirectory directory, String name) {
        RegionSnapshot snapshot;
        try {
            snapshot = directory.inspect(name);
        } catch (RegionException e) {
            if (e.reason() == RegionException.Reason.ATTACH_TIMEOUT) {
                return new Verdict(Action.UNDECIDED, "not marked ready; removed only if its creator is dead ("
                        + e.getMessage() + ")");
            }
            return new Verdict(Action.KEEP, "not a readable region (" + e.reason() + ")");
        }
        List<ParticipantInfo> participants = snapshot.participants();
        if (removable(snapshot)) {
            return new Verdict(Action.REMOVE, participants.isEmpty() ? "no process attached"
                    : "no live process; " + pids(participants) + " dead");
        }
        return new Verdict(Action.KEEP, "in use by " + pids(participants.stream().filter(ParticipantInfo::alive)
                .toList()));
    }

    private static String pids(List<ParticipantInfo> participants) {
        return (participants.size() == 1 ? "pid " : "pids ")
                + participants.stream().map(p -> String.valueOf(p.pid())).collect(Collectors.joining(", "));
    }

    private static String regions(long n) {
        return n == 1 ? "1 region" : Formats.count(n) + " regions";
    }
}
