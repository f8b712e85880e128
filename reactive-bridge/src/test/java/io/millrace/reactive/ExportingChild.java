package io.millrace.reactive;

import io.millrace.shm.ChildJvm;
import io.millrace.shm.ShmDirectory;
import reactor.core.publisher.Sinks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link StreamChild} that exports streams, and the parent's {@code stop} stream that ends it: {@link #close()}
 * completes that stream, so the child withdraws its names and exits; a child killed by the test is reaped too.
 */
@SuppressWarnings("try") // close() waits for the child, hence InterruptedException
final class ExportingChild implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(30);

    private final Sinks.Empty<String> stop = Sinks.empty();
    private final Publication stopPublication;
    private final ChildJvm child;

    private ExportingChild(ShmDirectory directory, String stopName, Class<?> mainClass, String mode,
                           List<String> specs) throws InterruptedException {
        stopPublication = Streams.publish(stopName, String.class, stop.asMono(), directory);
        List<String> args = new ArrayList<>(List.of(mode, stopName));
        args.addAll(specs);
        child = ChildJvm.start(List.of("-D" + ShmDirectory.DIR_PROPERTY + "=" + directory.path()), mainClass,
                args.toArray(String[]::new));
        try {
            child.awaitLine("READY", STARTUP);
        } catch (AssertionError | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** Starts a child exporting {@code specs} ({@code name=kind}, see {@link StreamChild}). */
    static ExportingChild start(ShmDirectory directory, String... specs) throws InterruptedException {
        return start(StreamChild.class, "export", directory, specs);
    }

    /** Starts {@code mainClass} with {@code MODE STOP ARGS...}; it prints {@code READY} and ends with {@code STOP}. */
    static ExportingChild start(Class<?> mainClass, String mode, ShmDirectory directory, String... args)
            throws InterruptedException {
        return new ExportingChild(directory, "stop-" + ProcessHandle.current().pid(), mainClass, mode, List.of(args));
    }

    ChildJvm jvm() {
        return child;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stop.tryEmitEmpty();
            if (child.hasPrinted("READY")) {
                try {
                    child.awaitExit(Duration.ofSeconds(20));
                } catch (AssertionError e) {
                    // killed by the test, or stuck: close() kills and reaps it
                }
            }
        } finally {
            child.close();
            stopPublication.close();
        }
    }
}
