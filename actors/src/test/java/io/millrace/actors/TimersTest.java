package io.millrace.actors;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class TimersTest extends ActorTestKit {

    @Test
    void shouldSendASingleTimerOnceAndThenBeInactive() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        system.systemActorOf(Behaviors.<String>withTimers(timers -> {
            timers.startSingleTimer("key", "tick", Duration.ofMillis(10));
            probe.ref().tell("active " + timers.isTimerActive("key"));
            return Behaviors.receiveMessage(message -> {
                probe.ref().tell(message + " active " + timers.isTimerActive("key"));
                timers.startSingleTimer("done", Duration.ofMillis(30));
                return message.equals("done") ? Behaviors.stopped() : Behaviors.same();
            });
        }), "single");
        probe.expectMessage("active true");
        probe.expectMessage("tick active false");
        probe.expectMessage("done active false");
        probe.expectNoMessageQueued();
    }

    @Test
    void shouldRepeatAtFixedRateAndWithFixedDelayUntilCancelled() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        system.systemActorOf(Behaviors.<String>withTimers(timers -> {
            timers.startTimerAtFixedRate("rate", "rate", Duration.ofMillis(2));
            timers.startTimerWithFixedDelay("delay", "delay", Duration.ofMillis(1), Duration.ofMillis(2));
            return counting(timers, probe.ref(), 0, 0);
        }), "periodic");
        assertThat(probe.expectMessage()).isEqualTo("both cancelled");
    }

    private static Behavior<String> counting(TimerScheduler<String> timers, ActorRef<Object> probe, int rate,
                                             int delay) {
        return Behaviors.receiveMessage(message -> {
            int r = rate + (message.equals("rate") ? 1 : 0);
            int d = delay + (message.equals("delay") ? 1 : 0);
            if (r == 3) {
                timers.cancel("rate");
            }
            if (d == 3) {
                timers.cancel("delay");
            }
            if (r > 3 || d > 3) {
                probe.tell("message of a cancelled timer arrived: " + message);
            } else if (r == 3 && d == 3) {
                probe.tell("both cancelled");
            }
            return counting(timers, probe, r, d);
        });
    }

    @Test
    void shouldNotDeliverMessagesOfACancelledTimerEvenIfAlreadyQueued() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        system.systemActorOf(Behaviors.<String>withTimers(timers -> {
            timers.startTimerAtFixedRate("fast", "fast", Duration.ofNanos(100_000));
            return Behaviors.receiveMessage(message -> switch (message) {
                case "fast" -> {
                    // linger so that more ticks queue up behind this one, then cancel
                    long until = System.nanoTime() + 5_000_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    timers.cancel("fast");
                    probe.ref().tell("cancelled active=" + timers.isTimerActive("fast"));
                    timers.startSingleTimer("end", "end", Duration.ofMillis(20));
                    yield Behaviors.receiveMessage(after -> {
                        probe.ref().tell(after);
                        return Behaviors.same();
                    });
                }
                default -> Behaviors.same();
            });
        }), "cancelling");
        probe.expectMessage("cancelled active=false");
        probe.expectMessage("end");
    }

    @Test
    void shouldReplaceATimerWithTheSameKeyAndCancelAll() {
        ActorSystem<Void> system = system();
        TestProbe<Object> probe = TestProbe.create(system);
        system.systemActorOf(Behaviors.<String>withTimers(timers -> {
            timers.startSingleTimer("k", "first", Duration.ofMillis(5));
            timers.startSingleTimer("k", "second", Duration.ofMillis(10));
            timers.startTimerAtFixedRate("a", "a", Duration.ofMillis(1));
            timers.startTimerAtFixedRate("b", "b", Duration.ofMillis(1));
            timers.cancelAll();
            probe.ref().tell("a active " + timers.isTimerActive("a"));
            timers.startSingleTimer("k", "third", Duration.ofMillis(10));
            return Behaviors.receiveMessage(message -> {
                probe.ref().tell(message);
                return Behaviors.same();
            });
        }), "replacing");
        probe.expectMessage("a active false");
        probe.expectMessage("third");
    }
}
