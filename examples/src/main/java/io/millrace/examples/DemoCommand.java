package io.millrace.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.millrace.shm.Jvm;
import io.millrace.shm.PeerGoneException;
import io.millrace.shm.RecordHandler;
import io.millrace.shm.RegionException;
import io.millrace.shm.Ring;
import io.millrace.shm.SharedRegion;
import io.millrace.shm.ShmDirectory;
import io.millrace.shm.WaitStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import static io.millrace.examples.Formats.bytes;
import static io.millrace.examples.Formats.count;
import static io.millrace.examples.Formats.hex;

/**
 * {@code millrace demo}, in two parts. First the raw ring: a child JVM streams seeded messages of mixed sizes
 * through an MPSC ring in shared memory to this JVM, which checks that the checksum of what arrived equals the
 * checksum of what was sent ({@link DemoStream}). Then the whole pipeline ({@link DemoPipeline}): generator
 * workers in child JVMs stream records as {@code Flux}es to a Reactor stage in another child JVM, whose output
 * joinable actors here aggregate and merge into their parent; the totals are checked against a sequential run.
 * It ends with a table of what ran where: stage, JVM pid, elements, elapsed, throughput.
 *
 * <p>Whatever happens, the children are reaped (killed if they outstay their welcome) and the regions are closed
 * and removed: in {@code finally}, and by a shutdown hook when the user presses Ctrl-C. Any mismatch exits 1.
 */
@Command(name = "demo", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Stream through shared memory across JVMs: a raw ring, then generators -> Reactor -> actors;"
                + " verify, time.")
final class DemoCommand implements Callable<Integer> {
    /** Records drained per receive; the consumer releases each batch with one head update. */
    private static final int BATCH = 256;
    private static final Duration RECEIVE_TIMEOUT = Duration.ofMillis(100);
    /** How long the producer may send nothing before the demo gives up on it. */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** How long a dead producer may go unreported by the ring before the demo reports it itself. */
    private static final long DEAD_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long EXIT_WAIT_SECONDS = 10;
    /** How many {@code demo-<pid>-<n>} names to try when {@code demo-<pid>} is taken. */
    private static final int MAX_NAME_ATTEMPTS = 100;

    @Spec
    CommandSpec spec;

    @Option(names = "--messages", paramLabel = "N",
            description = "Messages through the raw ring, 16 B to 1 KiB each (default: 100,000).")
    long messages = 100_000;

    @Option(names = "--records", paramLabel = "N",
            description = "Readings each of the pipeline's " + DemoPipeline.GENERATORS
                    + " generators makes (default: 50,000).")
    long records = 50_000;

    @Option(names = "--seed", paramLabel = "SEED",
            description = "Seed of the messages and the readings (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Option(names = "--dir", paramLabel = "PATH",
            description = "Base directory of the region (default: $MILLRACE_DIR, else /dev/shm/millrace-$USER).")
    Path dir;

    /** For tests of the failure path: kill the producer once this many messages have arrived. */
    @Option(names = "--kill-producer-after", hidden = true, paramLabel = "N")
    long killProducerAfter;

    /** For tests of the failure path: kill the pipeline's workers once this many staged readings have arrived. */
    @Option(names = "--kill-workers-after", hidden = true, paramLabel = "N")
    long killWorkersAfter;

    @Override
    public Integer call() throws Exception {
        Options.atLeast(spec, "--messages", messages, 1);
        Options.atLeast(spec, "--records", records, 1);
        if (spec.commandLine().getParseResult().hasMatchedOption("--kill-producer-after")) {
            Options.atLeast(spec, "--kill-producer-after", killProducerAfter, 1);
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--kill-workers-after")) {
            Options.atLeast(spec, "--kill-workers-after", killWorkersAfter, 1);
        }
        Path base = Options.directory(spec, "--dir", dir);
        return new Run(ShmDirectory.at(base)).call();
    }

    /** One run of the demo: owns the region, the child and the shutdown hook. */
    private final class Run implements Callable<Integer> {
        private final PrintWriter out = spec.commandLine().getOut();
        private final PrintWriter err = spec.commandLine().getErr();
        private final ShmDirectory directory;
        private final Thread hook = new Thread(this::onInterrupt, "millrace-demo-cleanup");
        private final Receiver receiver = new Receiver();
        private volatile String name;
        private volatile boolean created;
        private volatile Process child;
        private volatile boolean finished;
        private volatile DemoPipeline pipeline;
        /** Set first by the Ctrl-C hook: failures from then on are its effect, not reported as FAILED. */
        private volatile boolean interrupted;

        Run(ShmDirectory directory) {
            this.directory = directory;
        }

        @Override
        public Integer call() throws InterruptedException {
            out.printf("millrace demo: %s of %s to %s (seed %d) from a child JVM to this one%n",
                    count(messages, "message"), bytes(DemoStream.MIN_LENGTH), bytes(DemoStream.MAX_LENGTH), seed);
            Runtime.getRuntime().addShutdownHook(hook);
            Summary summary = null;
            List<DemoPipeline.Row> rows = new ArrayList<>();
            boolean verified = false;
            try {
                // its workers start now and warm up while the ring streams
                pipeline = new DemoPipeline(out, err, directory.path(), records, seed, killWorkersAfter);
                SharedRegion region = createRegion();
                created = true;
                try {
                    summary = stream(region);
                } catch (PeerGoneException e) {
                    Process producer = child;
                    String exit = producer.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)
                            ? "exit code " + producer.exitValue() : "still running";
                    fail("the producer (pid %d, %s) is gone after %s of %s: %s", producer.pid(), exit,
                            count(receiver.count), count(messages, "message"), e.getMessage());
                } finally {
                    try {
                        reapChild();
                        region.close();
                    } finally {
                        directory.unlink(name);
                        out.printf("  removed region %s%n", name);
                    }
                }
                if (summary != null) {
                    rows.add(new DemoPipeline.Row("raw ring (MPSC, 16 B to 1 KiB)", Long.toString(child.pid()),
                            summary.count, summary.nanos));
                    verified = pipeline.run(rows);
                }
            } finally {
                finished = true;
                if (pipeline != null) {
                    pipeline.close();
                    out.println("  stopped the workers and the actors");
                }
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or about to: it finds everything done
                }
                out.flush();
            }
            if (summary == null || interrupted) {
                return 1;
            }
            if (summary.count < 2) {
                out.println("raw ring throughput: not measured for a single message");
            } else {
                out.printf("raw ring throughput: %s msgs/s, %s MiB/s (first message to last; %s ns per message)%n",
                        count(Math.round(summary.count / summary.seconds())),
                        Formats.decimal(summary.bytes / summary.seconds() / (1 << 20), 1),
                        Formats.decimal(summary.nanos / (double) summary.count, 0));
            }
            Formats.Table table = new Formats.Table("stage", "JVM pid", "elements", "elapsed", "throughput")
                    .alignRight(1, 2, 3, 4);
            for (DemoPipeline.Row row : rows) {
                table.row(row.stage(), row.pid(), count(row.elements()),
                        Formats.decimal(row.nanos() / 1e9, 3) + " s",
                        count(Math.round(row.elements() * 1e9 / Math.max(1, row.nanos()))) + "/s");
            }
            out.print(table.render("  "));
            out.println(verified ? "verified" : "NOT verified");
            out.flush();
            return verified ? 0 : 1;
        }

        /** Runs the stream and checks it; null when it failed (and said why on stderr). */
        private Summary stream(SharedRegion region) throws InterruptedException {
            Ring ring = region.ring(DemoStream.RING).waitStrategy(WaitStrategy.yielding());
            ring.poll(receiver, 1); // becomes the ring's consumer now, so the producer can tell if we die
            out.printf("  created region %s in %s: MPSC ring '%s' of %s, atomics '%s' and '%s'%n", name,
                    directory.path(), DemoStream.RING, bytes(ring.capacity()), DemoStream.SENT, DemoStream.CHECKSUM);
            out.flush();

            Process producer;
            try {
                producer = startProducer();
            } catch (IOException e) {
                return fail("could not start the producer JVM: %s", e.getMessage());
            }
            out.printf("  started the producer: child JVM pid %d, sending through ring '%s'%n", producer.pid(),
                    DemoStream.RING);
            out.flush();

            long lastProgress = System.nanoTime();
            long deadSince = 0;
            boolean killed = false;
            while (receiver.count < messages) {
                int received = ring.receive(receiver, BATCH, RECEIVE_TIMEOUT);
                long now = System.nanoTime();
                if (received > 0) {
                    lastProgress = now;
                    if (killProducerAfter > 0 && receiver.count >= killProducerAfter && !killed) {
                        producer.destroyForcibly();
                        killed = true;
                    }
                } else if (!producer.isAlive()) {
                    // normally receive reports a dead producer itself; this catches one that died before joining
                    if (deadSince == 0) {
                        deadSince = now;
                    } else if (now - deadSince > DEAD_GRACE_NANOS) {
                        return fail("the producer (pid %d) exited with code %d after %s of %s",
                                producer.pid(), producer.exitValue(), count(receiver.count),
                                count(messages, "message"));
                    }
                } else if (now - lastProgress > STALL_NANOS) {
                    return fail("the producer (pid %d) is alive but sent nothing for %d s (%s of %s arrived)",
                            producer.pid(), TimeUnit.NANOSECONDS.toSeconds(STALL_NANOS), count(receiver.count),
                            count(messages, "message"));
                }
            }
            long elapsed = Math.max(1, System.nanoTime() - receiver.firstNanos);
            out.printf("  received %s, %s, in %s s%n", count(receiver.count, "message"), count(receiver.bytes, "byte"),
                    Formats.decimal(elapsed / 1e9, 3));
            out.flush();

            if (!producer.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                return fail("the producer (pid %d) did not exit within %d s after sending", producer.pid(),
                        EXIT_WAIT_SECONDS);
            }
            long sent = region.atomicLong(DemoStream.SENT).get();
            long sentChecksum = region.atomicLong(DemoStream.CHECKSUM).get();
            out.printf("  producer pid %d exited with code %d; it reports %s sent, checksum %s%n",
                    producer.pid(), producer.exitValue(), count(sent, "message"), hex(sentChecksum));
            if (producer.exitValue() != 0) {
                return fail("the producer exited with code %d", producer.exitValue());
            }
            if (sent != receiver.count || sentChecksum != receiver.checksum) {
                return fail("checksum mismatch: received %s with checksum %s, the producer sent %s with "
                        + "checksum %s", count(receiver.count, "message"), hex(receiver.checksum), count(sent),
                        hex(sentChecksum));
            }
            out.printf("  checksum verified: %s, checksum %s on both sides%n", count(receiver.count, "message"),
                    hex(receiver.checksum));
            return new Summary(receiver.count, receiver.bytes, elapsed);
        }

        /**
         * Creates the region {@code demo-<pid>}; should a file of that name be left from an earlier process with
         * this pid (killed before it could remove it; {@code millrace clean} removes such files), takes the first
         * free {@code demo-<pid>-<n>}.
         */
        private SharedRegion createRegion() {
            String base = "demo-" + ProcessHandle.current().pid();
            for (int attempt = 0; ; attempt++) {
                name = attempt == 0 ? base : base + "-" + attempt;
                try {
                    return directory.create(DemoStream.region(name));
                } catch (RegionException e) {
                    if (e.reason() != RegionException.Reason.ALREADY_EXISTS || attempt == MAX_NAME_ATTEMPTS) {
                        throw e;
                    }
                }
            }
        }

        /** Says on stderr why the demo failed, after what is already on stdout; returns null for "no summary". */
        private Summary fail(String format, Object... args) {
            if (!interrupted) {
                DemoPipeline.reportFailure(out, err, format, args);
            }
            return null;
        }

        private Process startProducer() throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = List.of(java, Jvm.NATIVE_ACCESS_FLAG,
                    "-cp", System.getProperty("java.class.path"), DemoProducer.class.getName(),
                    directory.path().toString(), name, Long.toString(messages), Long.toString(seed));
            Process process = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            child = process;
            return process;
        }

        /** Waits for the child to exit, killing it if it does not; never leaves it running. */
        private void reapChild() throws InterruptedException {
            Process producer = child;
            if (producer == null) {
                return;
            }
            if (!producer.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                producer.destroyForcibly();
                producer.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
            }
        }

        /** Ctrl-C: stop the child and remove the file; the mapping goes with this process. */
        private void onInterrupt() {
            boolean done = finished; // the main thread is past its work: the JVM exits as it returns, no Ctrl-C
            interrupted = !done; // before the pipeline stops: what fails from now on is not reported as FAILED
            DemoPipeline started = pipeline;
            if (started != null) {
                if (!done) {
                    started.interrupt();
                }
                started.close(); // also when the main thread is closing it: this waits for that close to end
            }
            if (done) {
                return;
            }
            Process producer = child;
            if (producer != null) {
                producer.destroyForcibly();
                try {
                    producer.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (created) {
                directory.unlink(name);
            }
            out.flush();
            err.printf("%nmillrace demo: interrupted; stopped the workers, the producer%s%n",
                    created ? " and removed region " + name : "");
            err.flush();
        }
    }

    /** What arrived, and in how long (first message to last). */
    private record Summary(long count, long bytes, long nanos) {
        double seconds() {
            return nanos / 1e9;
        }
    }

    /** Counts, sums and checksums what arrives, and notes when the first record did; allocates nothing. */
    private static final class Receiver implements RecordHandler {
        long count;
        long bytes;
        long checksum = DemoStream.checksumSeed();
        long firstNanos;

        @Override
        public void onRecord(int type, MemorySegment buffer, long offset, int length) {
            if (count == 0) {
                firstNanos = System.nanoTime();
            }
            count++;
            bytes += length;
            checksum = DemoStream.checksum(checksum, buffer, offset, length);
        }
    }
}
