package io.millrace.actors;

import java.util.concurrent.TimeoutException;

/** Completes an ask's stage exceptionally when no reply came in time; names the target and the request's class. */
public final class AskTimeoutException extends TimeoutException {

    private static final long serialVersionUID = 1L;

    public AskTimeoutException(String message) {
        super(message);
    }
}
