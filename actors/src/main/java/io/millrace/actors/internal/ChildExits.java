package io.millrace.actors.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The exit statuses of the node processes this JVM started ({@code spawnNode}), by pid: only a process's parent
 * learns how it ended ({@code Process.onExit}), so only here does the death of such a node name its exit status
 * ({@code NodeGoneException} of the asks in flight to it); for any other node it is "unknown".
 *
 * <p>The death is seen first by {@code ProcessWatch} (a pidfd turns readable), a moment before the JDK's reaper
 * completes {@code onExit}: {@link #describe} waits for that, up to {@link #REAP_WAIT_SECONDS}. An entry is kept
 * for a while after the exit (a late {@code describe}), then dropped.
 */
public final class ChildExits {

    static final long REAP_WAIT_SECONDS = 5;
    private static final long KEPT_SECONDS = 60;
    private static final ConcurrentHashMap<Long, CompletionStage<Integer>> BY_PID = new ConcurrentHashMap<>();

    private ChildExits() {
    }

    /**
     * Records a node process this JVM started.
     *
     * @param pid  its process id
     * @param exit completes with its exit status (the code, or {@code -N} for signal N)
     */
    public static void register(long pid, CompletionStage<Integer> exit) {
        BY_PID.put(pid, exit);
        exit.whenComplete((status, failure) -> CompletableFuture.delayedExecutor(KEPT_SECONDS, TimeUnit.SECONDS)
                .execute(() -> BY_PID.remove(pid, exit)));
    }

    /** @return completes with {@code "status=N"} for a process this JVM started, else {@code "status=unknown ..."} */
    static CompletionStage<String> describe(long pid) {
        CompletionStage<Integer> exit = BY_PID.get(pid);
        String unknown = "status=unknown (pid=" + pid + " is not a child of this process)";
        if (exit == null) {
            return CompletableFuture.completedFuture(unknown);
        }
        return exit.toCompletableFuture().thenApply(status -> "status=" + status)
                .completeOnTimeout("status=unknown (not reaped within " + REAP_WAIT_SECONDS + " s)",
                        REAP_WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
