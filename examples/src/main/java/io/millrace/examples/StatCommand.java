package io.millrace.examples;

import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

import io.millrace.actors.remote.NodeInfo;
import io.millrace.shm.ParticipantInfo;
import io.millrace.shm.RegionException;
import io.millrace.shm.RegionSnapshot;
import io.millrace.shm.RingStats;
import io.millrace.shm.ShmDirectory;
import io.millrace.state.TransactionStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import static io.millrace.examples.Formats.count;

/**
 * {@code millrace stat}: an ops view of the regions in a base directory, in the spirit of AeronStat. Every region
 * is read with {@link ShmDirectory#inspect(String)}, which maps it read-only and registers nothing, so looking
 * never changes what is looked at. A file that cannot be read is listed with the reason.
 */
@Command(name = "stat", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Show regions: their rings, atomics and processes, read-only (--watch).")
final class StatCommand implements Callable<Integer> {
    /** ANSI: clear the screen (once, as watching starts). */
    private static final String CLEAR_SCREEN = "\033[2J";
    /** ANSI: cursor to the top left; each frame is drawn over the last one, which does not flicker. */
    private static final String HOME = "\033[H";
    /** ANSI: clear to the end of the line, and to the end of the screen, what the last frame left there. */
    private static final String CLEAR_LINE = "\033[K";
    private static final String CLEAR_BELOW = "\033[J";

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "PATH",
            description = "Base directory to look in (default: $MILLRACE_DIR, else /dev/shm/millrace-$USER).")
    Path dir;

    @Option(names = "--region", paramLabel = "NAME",
            description = "Show only the regions of this name (a glob: 'demo-*' matches every demo region).")
    String region;

    @Option(names = "--watch", description = "Refresh every --interval until Ctrl-C.")
    boolean watch;

    @Option(names = "--interval", paramLabel = "MILLIS",
            description = "Refresh period of --watch in milliseconds (default: ${DEFAULT-VALUE}).")
    long intervalMillis = 1000;

    @Override
    public Integer call() {
        Options.atLeast(spec, "--interval", intervalMillis, 10);
        Path base = Options.directory(spec, "--dir", dir);
        PathMatcher filter = filter();
        PrintWriter out = spec.commandLine().getOut();
        if (!watch) {
            out.print(render(base, filter));
            out.flush();
            return 0;
        }
        out.print(CLEAR_SCREEN);
        while (!Thread.currentThread().isInterrupted()) {
            String frame = "millrace stat, every " + count(intervalMillis) + " ms; Ctrl-C to stop. "
                    + Formats.timeOfDay(System.currentTimeMillis()) + "\n\n" + render(base, filter);
            out.print(HOME + frame.replace("\n", CLEAR_LINE + "\n") + CLEAR_BELOW);
            out.flush();
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                break; // a caller that runs the command on a thread of its own stops it so
            }
        }
        return 0;
    }

    private PathMatcher filter() {
        if (region == null) {
            return name -> true;
        }
        if (region.isBlank() || region.contains("/")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--region must be a region name or a glob without '/', not '" + region + "'");
        }
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + region);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--region '" + region + "' is not a valid glob: " + e.getMessage());
        }
    }

    /** The whole report for one moment. */
    private String render(Path base, PathMatcher filter) {
        String matching = region == null ? "" : " matching '" + region + "'";
        if (!Files.isDirectory(base)) {
            return "No regions: " + base + " does not exist.\n";
        }
        ShmDirectory directory = ShmDirectory.at(base);
        List<String> names = directory.list().stream().filter(n -> filter.matches(Path.of(n))).toList();
        if (names.isEmpty()) {
            return "No regions in " + base + matching + ".\n";
        }
        StringBuilder out = new StringBuilder();
        out.append(names.size() == 1 ? "1 region" : names.size() + " regions").append(" in ").append(base)
                .append(matching).append('\n');
        for (String name : names) {
            out.append('\n');
            try {
                RegionSnapshot snapshot = directory.inspect(name);
                region(out, snapshot);
                if (NodeInfo.isNodeRegion(name)) {
                    node(out, NodeInfo.read(directory, name), snapshot.creatorAlive());
                } else {
                    sharedState(out, directory, name); // a node's region holds no struct array or map
                }
            } catch (RegionException e) {
                out.append(name).append("  unreadable (").append(e.reason()).append("): ").append(e.getMessage())
                        .append('\n');
            } catch (RuntimeException e) { // a file no rule foresaw: say so, and go on with the others
                out.append(name).append("  unreadable (").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    static void region(StringBuilder out, RegionSnapshot snapshot) {
        out.append(snapshot.name()).append("  ").append(Formats.bytes(snapshot.size()))
                .append(", created ").append(Formats.timeOfDay(snapshot.createdMillis()))
                .append(" by pid ").append(snapshot.creatorPid())
                .append(snapshot.creatorAlive() ? " (alive)" : " (dead)")
                .append(", layout v").append(snapshot.layoutVersion()).append('\n');
        if (!snapshot.rings().isEmpty()) {
            Formats.Table rings = new Formats.Table("ring", "kind", "capacity", "head", "tail", "lag (bytes)",
                    "skipped", "sleepers", "consumer", "producers").alignRight(2, 3, 4, 5, 6, 7, 8);
            for (RingStats ring : snapshot.rings()) {
                rings.row(ring.name(), kind(ring), count(ring.capacity()), count(ring.head()), count(ring.tail()),
                        count(ring.lag()), count(ring.skippedRecords()), ring.sleepers(),
                        ring.consumerPid() == 0 ? "-" : ring.consumerPid(), pids(ring.producerPids()));
            }
            out.append(rings.render("  "));
        }
        if (!snapshot.atomics().isEmpty()) {
            Formats.Table atomics = new Formats.Table("atomic", "value").alignRight(1);
            snapshot.atomics().forEach((name, value) -> atomics.row(name, count(value)));
            out.append(atomics.render("  "));
        }
        if (snapshot.participants().isEmpty()) {
            out.append("  no process attached\n");
        } else {
            Formats.Table participants = new Formats.Table("pid", "alive", "heartbeat age").alignRight(0, 2);
            for (ParticipantInfo participant : snapshot.participants()) {
                participants.row(participant.pid(), participant.alive() ? "yes" : "no",
                        count(participant.heartbeatAgeMillis()) + " ms");
            }
            out.append(participants.render("  "));
        }
    }

    /** An actor node's info block: who it is, how long it runs, its counters (its lanes are the rings above). */
    static void node(StringBuilder out, NodeInfo node, boolean alive) {
        Formats.Table table = new Formats.Table("node", "state", "pid", "alive", "uptime", "actors", "dead letters",
                "decode errors", "child restarts", "parent").alignRight(2, 4, 5, 6, 7, 8);
        long uptime = Math.max(0, System.currentTimeMillis() - node.createdMillis());
        table.row(node.systemName(), node.state(), node.pid(), alive ? "yes" : "no",
                alive ? Formats.decimal(uptime / 1000.0, 1) + " s" : "-", count(node.actors()),
                count(node.deadLetters()), count(node.decodeErrors()), count(node.childRestarts()),
                node.parentNode() == 0 ? "-" : Formats.hex(node.parentNode()));
        out.append(table.render("  "));
    }

    /** The transaction statistics of a shared-state struct array or map (none for other regions), read-only. */
    static void sharedState(StringBuilder out, ShmDirectory directory, String name) {
        List<TransactionStats> sites = TransactionStats.inspect(directory, name);
        if (sites.isEmpty()) {
            return;
        }
        Formats.Table table = new Formats.Table("transaction site", "commits", "aborts", "retried", "time lost")
                .alignRight(1, 2, 3, 4);
        for (TransactionStats site : sites) {
            table.row(site.site(), count(site.commits()), count(site.aborts()), count(site.retried()),
                    count(site.abortNanos() / 1_000_000) + " ms");
        }
        out.append(table.render("  "));
    }

    private static String kind(RingStats ring) {
        return switch (ring.kind()) {
            case SPSC_RING -> "SPSC";
            case MPSC_RING -> "MPSC";
            default -> String.valueOf(ring.kind());
        };
    }

    private static String pids(List<Long> pids) {
        return pids.isEmpty() ? "-" : pids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
