package io.millrace.actors.internal;

import io.millrace.actors.ActorRef;
import io.millrace.actors.AskTimeoutException;
import io.millrace.actors.Cancellable;
import io.millrace.actors.Scheduler;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The ask pattern: a {@link TempRef} that completes a future with its first message, a timer that fails it with
 * {@link AskTimeoutException}, the transport that fails it with {@code NodeGoneException} when the target is of a
 * node that dies first, and cleanup (timer cancelled, ref closed) whichever comes first.
 */
public final class Asks {

    private Asks() {
    }

    public static <Req, Res> CompletionStage<Res> ask(ActorRef<Req> target, Function<ActorRef<Res>, Req> factory,
                                                      Duration timeout, Scheduler scheduler) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(factory, "messageFactory");
        Objects.requireNonNull(scheduler, "scheduler");
        SystemScheduler.nanos("timeout", timeout, false);
        if (!(scheduler instanceof SystemScheduler systemScheduler)) {
            throw new IllegalArgumentException("scheduler=" + scheduler + " is not an actor system's scheduler()");
        }
        SystemRuntime runtime = systemScheduler.runtime();
        CompletableFuture<Res> result = new CompletableFuture<>();
        if (runtime.isTerminating()) {
            result.completeExceptionally(runtime.terminatedException("ask " + target.path()));
            return result;
        }
        TempRef<Res> replyTo = runtime.tempRef("ask", result::complete, () -> result.completeExceptionally(
                runtime.terminatedException("ask " + target.path())));
        try {
            Req request = Objects.requireNonNull(factory.apply(replyTo), "the message factory returned null");
            Cancellable timer = scheduler.scheduleOnce(timeout, () -> result.completeExceptionally(
                    new AskTimeoutException("ask timed out on target=" + target.path() + " after timeout="
                            + timeout.toMillis() + " ms; message of class=" + request.getClass().getName())));
            result.whenComplete((value, failure) -> {
                timer.cancel();
                replyTo.close();
            });
            if (target instanceof RemoteActorRef<?>) {
                runtime.transport().trackAsk(target.path().node(), result);
            }
            target.tell(request);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
            replyTo.close();
        }
        return result;
    }
}
