package io.millrace.actors.internal;

import io.millrace.actors.ActorPath;
import io.millrace.actors.DeadLetter;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * A short-lived ref that is no actor (below {@code /temp}): hands each message to a callback on the teller's
 * thread, for asks and lookups. Registered with the node so that it resolves from its path; closing it makes
 * later messages dead letters. {@code onTerminated} runs if the system terminates while it is open, so that
 * whoever waits on it is not left waiting.
 */
final class TempRef<T> extends AbstractRef<T> {

    private final SystemRuntime runtime;
    private final Consumer<T> onMessage;
    private final Runnable onTerminated;
    private volatile boolean closed;

    TempRef(ActorPath path, SystemRuntime runtime, Consumer<T> onMessage, Runnable onTerminated) {
        super(path);
        this.runtime = runtime;
        this.onMessage = onMessage;
        this.onTerminated = onTerminated;
    }

    @Override
    public void tell(T message) {
        Objects.requireNonNull(message, "message");
        if (closed) {
            runtime.deadLetterOffice().publish(message, path, DeadLetter.Reason.RECIPIENT_STOPPED);
            return;
        }
        onMessage.accept(message);
    }

    void close() {
        closed = true;
        runtime.node().unregister(this);
    }

    void systemTerminated() {
        if (!closed) {
            onTerminated.run();
        }
    }
}
