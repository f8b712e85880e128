package io.millrace.actors.internal;

import io.millrace.actors.BackoffSupervisorStrategy;
import io.millrace.actors.Cancellable;
import io.millrace.actors.DeadLetter;
import io.millrace.actors.RestartSupervisorStrategy;
import io.millrace.actors.SupervisorStrategy;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The supervision of one actor, made when its behavior first meets {@code Behaviors.supervise}; confined to the
 * actor's thread. {@link ActorCell#fail} asks {@link #handle} what a failure means.
 *
 * <p><b>Levels.</b> Each supervised behavior met while the behavior is being started is a level (nested ones
 * above outer ones); a failure is matched against the innermost level first, its cases in order. A restart at a
 * level drops the levels above it and starts that level's behavior again, which enters its inner levels anew. A
 * supervised behavior whose cases equal those of a level already present is not entered again (so that a behavior
 * that returns {@code supervise(...)} on each message does not pile up levels).
 *
 * <p><b>Restart protocol.</b> A restart never runs inside the failing handler: {@link #handle} signals
 * {@code PreRestart} to the failed behavior, cancels its timers, asks the children to stop (if the strategy says
 * so) and <em>suspends</em> the actor: from then on its messages and death notices are stashed (beyond the
 * strategy's stash capacity, messages are dead letters with reason {@code MAILBOX_FULL}). A {@code Restart} system
 * message is sent to the actor at once (restart) or after the back-off (from the scheduler thread). The restart
 * happens when both that message has come and the last child has stopped (so a restarted setup can spawn the same
 * names); then the stash is handled by the new behavior, in order. Doing it through the system queue bounds a
 * setup that always fails to one attempt per duty cycle of its lane, rather than a loop on the lane thread. A stop
 * during the suspension cancels it; the stash becomes dead letters.
 *
 * <p><b>Logging.</b> One line per failure, with the path, the exception and the decision; the first failure of
 * the actor also with its stack trace; at most {@value FailureLog#LIMIT} lines per second, the rest counted and
 * reported with the next line logged ({@link FailureLog}).
 */
final class Supervisor<T> {


    /** One supervised behavior and its restart counts. */
    private static final class Level<T> {
        final BehaviorImpl.Supervised<T> spec;
        int restarts;
        long windowStart;
        long lastRestart;

        Level(BehaviorImpl.Supervised<T> spec) {
            this.spec = spec;
        }
    }

    private final ActorCell<T> cell;
    private final List<Level<T>> levels = new ArrayList<>(1);
    /** The level being restarted while the actor is suspended, else null. */
    private Level<T> restarting;
    /** The failure the pending restart is for. */
    private Throwable restartCause;
    private long generation;
    private boolean due;
    private boolean waitingForChildren;
    private ArrayDeque<Object> stash;
    private int stashCapacity;
    private Cancellable backoff;
    private final FailureLog failureLog = new FailureLog();
    private boolean stackLogged;

    Supervisor(ActorCell<T> cell) {
        this.cell = cell;
    }

    /** A supervised behavior is being started: it becomes the innermost level unless it is one already. */
    void enter(BehaviorImpl.Supervised<T> supervised) {
        for (Level<T> level : levels) {
            if (level.spec.cases.equals(supervised.cases)) {
                return;
            }
        }
        levels.add(new Level<>(supervised));
    }

    boolean isSuspended() {
        return restarting != null;
    }

    /**
     * Decides on a failure of the running actor.
     *
     * @param inSetup whether the failure came from starting a behavior (which cannot be resumed)
     * @return true if the actor lives on (resumed, or suspended until its restart); false if it must stop
     */
    boolean handle(Throwable failure, boolean inSetup) {
        Level<T> level = null;
        SupervisorStrategy strategy = SupervisorStrategy.stop();
        search:
        for (int i = levels.size() - 1; i >= 0; i--) {
            for (BehaviorImpl.FailureCase c : levels.get(i).spec.cases) {
                if (c.type().isInstance(failure)) {
                    level = levels.get(i);
                    strategy = c.strategy();
                    break search;
                }
            }
        }
        long now = System.nanoTime();
        switch (strategy) {
            case SupervisorStrategy.Resume r -> {
                if (inSetup) {
                    log(failure, "stops (a failure in setup cannot be resumed)");
                    return false;
                }
                log(failure, "resumes");
                return true;
            }
            case SupervisorStrategy.Stop s -> {
                log(failure, "stops");
                return false;
            }
            case RestartSupervisorStrategy r -> {
                if (r.maxRestarts() >= 0) {
                    if (level.restarts == 0 || now - level.windowStart > r.withinTime().toNanos()) {
                        level.restarts = 0;
                        level.windowStart = now;
                    }
                    if (level.restarts >= r.maxRestarts()) {
                        log(failure, "stops: restart limit maxRestarts=" + r.maxRestarts() + " withinTime="
                                + r.withinTime() + " reached");
                        return false;
                    }
                }
                level.restarts++;
                log(failure, "restarts");
                restartCause = failure;
                suspend(level, 0, r.stopChildren(), r.stashCapacity());
                return true;
            }
            case BackoffSupervisorStrategy b -> {
                if (level.lastRestart != 0 && now - level.lastRestart >= b.resetBackoffAfter().toNanos()) {
                    level.restarts = 0;
                }
                if (b.maxRestarts() > 0 && level.restarts >= b.maxRestarts()) {
                    log(failure, "stops: maxRestarts=" + b.maxRestarts() + " restarts in a row reached");
                    return false;
                }
                long delay = backoffNanos(b, level.restarts);
                level.restarts++;
                log(failure, "restarts in " + Duration.ofNanos(delay));
                restartCause = failure;
                suspend(level, delay, b.stopChildren(), b.stashCapacity());
                return true;
            }
        }
    }

    /** {@code min * 2^restarts}, at most {@code max}, times 1 to {@code 1 + randomFactor}. */
    static long backoffNanos(BackoffSupervisorStrategy b, int restarts) {
        long min = b.minBackoff().toNanos();
        long max = b.maxBackoff().toNanos();
        long base = restarts >= 62 || min > (max >> Math.min(restarts, 62)) ? max : min << restarts;
        double random = 1 + ThreadLocalRandom.current().nextDouble() * b.randomFactor();
        return (long) Math.min(Long.MAX_VALUE / 2.0, base * random);
    }

    private void suspend(Level<T> level, long delayNanos, boolean stopChildren, int capacity) {
        cell.preRestart();
        restarting = level;
        long current = ++generation;
        due = false;
        stashCapacity = capacity;
        if (stash == null) {
            stash = new ArrayDeque<>();
        }
        waitingForChildren = stopChildren && cell.stopChildren();
        if (delayNanos == 0) {
            cell.sendSystem(new SystemMessage.Restart(current));
        } else {
            backoff = cell.scheduler().scheduleOnce(Duration.ofNanos(delayNanos),
                    () -> cell.sendSystem(new SystemMessage.Restart(current)));
        }
    }

    /** The {@code Restart} system message came. */
    void restartDue(long forGeneration) {
        if (restarting != null && forGeneration == generation) {
            due = true;
            backoff = null;
            tryRestart();
        }
    }

    /** A child stopped. */
    void childTerminated(int liveChildren) {
        if (restarting != null && waitingForChildren && liveChildren == 0) {
            waitingForChildren = false;
            tryRestart();
        }
    }

    private void tryRestart() {
        if (!due || waitingForChildren) {
            return;
        }
        Level<T> level = restarting;
        restarting = null;
        restartCause = null;
        levels.subList(levels.indexOf(level) + 1, levels.size()).clear();
        level.lastRestart = System.nanoTime();
        ArrayDeque<Object> pending = stash;
        stash = null;
        cell.restartWith(level.spec.behavior);
        while (pending != null && !pending.isEmpty()) {
            cell.replay(pending.pollFirst());
        }
    }

    /**
     * Keeps {@code envelope} (a message, or a death notice) for the restarted behavior if the actor is suspended.
     *
     * @return false if it is not suspended: handle the envelope now
     */
    boolean stashIfSuspended(Object envelope) {
        if (restarting == null) {
            return false;
        }
        if (stash.size() >= stashCapacity && !(envelope instanceof SystemMessage)) {
            cell.deadLetter(envelope, DeadLetter.Reason.MAILBOX_FULL);
        } else {
            stash.addLast(envelope);
        }
        return true;
    }

    /**
     * The actor stops: a pending restart is cancelled and the stashed messages become dead letters.
     *
     * @return the failure whose restart was pending (the actor stops as failed: a join has no snapshot), or null
     */
    Throwable stopping() {
        if (backoff != null) {
            backoff.cancel();
            backoff = null;
        }
        Throwable cause = restarting == null ? null : restartCause;
        restarting = null;
        restartCause = null;
        ArrayDeque<Object> pending = stash;
        stash = null;
        if (pending != null) {
            for (Object envelope : pending) {
                if (!(envelope instanceof SystemMessage)) {
                    cell.deadLetter(envelope, DeadLetter.Reason.RECIPIENT_STOPPED);
                }
            }
        }
        return cause;
    }

    private void log(Throwable failure, String decision) {
        int suppressed = failureLog.admit(System.nanoTime());
        if (suppressed < 0) {
            return;
        }
        Logger log = cell.log();
        String more = suppressed == 0 ? "" : " (" + suppressed + " failures not logged before this one)";
        if (stackLogged) {
            log.error("actor={} failed and {}: {}{}", cell.path, decision, failure, more);
        } else {
            stackLogged = true;
            log.error("actor={} failed and {}: {}{}", cell.path, decision, failure, more, failure);
        }
    }
}
