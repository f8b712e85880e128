package io.millrace.actors;

import io.millrace.actors.internal.Asks;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Request-reply from outside an actor (Pekko's {@code AskPattern}); inside one use {@link ActorContext#ask}. */
public final class AskPattern {

    private AskPattern() {
    }

    /**
     * Sends the message made by {@code messageFactory} to {@code target} and completes with the first message sent
     * to the reply-to ref it was given.
     *
     * @param target         who is asked
     * @param messageFactory makes the request from the ref to reply to
     * @param timeout        positive
     * @param scheduler      the system's {@link ActorSystem#scheduler()}
     * @param <Req>          the request's type
     * @param <Res>          the reply's type
     * @return completes with the reply, or fails with {@link AskTimeoutException} (naming the target's path and
     * the request's class) after {@code timeout}, with {@link MailboxFullException} under a fail-fast policy, or
     * with {@link IllegalStateException} if the system is terminated
     * @throws IllegalArgumentException if {@code scheduler} is not an actor system's or the timeout not positive
     */
    public static <Req, Res> CompletionStage<Res> ask(ActorRef<Req> target,
                                                      Function<ActorRef<Res>, Req> messageFactory,
                                                      Duration timeout, Scheduler scheduler) {
        return Asks.ask(target, messageFactory, timeout, scheduler);
    }

    /** {@link #ask(ActorRef, Function, Duration, Scheduler)} with {@code system.scheduler()}. */
    public static <Req, Res> CompletionStage<Res> ask(ActorRef<Req> target,
                                                      Function<ActorRef<Res>, Req> messageFactory,
                                                      Duration timeout, ActorSystem<?> system) {
        return Asks.ask(target, messageFactory, timeout, system.scheduler());
    }
}
