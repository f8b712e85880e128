package io.millrace.reactive;

import java.util.Objects;

/**
 * An exception raised in another process, as its stream delivered it through {@code onError}: the original's class
 * name, message and stack trace, its cause chain as further {@code RemoteException}s. The original class need not
 * be on this side's class path.
 */
public final class RemoteException extends RuntimeException {
    private final String remoteClassName;
    private final String remoteMessage;

    /**
     * @param remoteClassName the original exception's class name
     * @param remoteMessage   the original message, or null
     * @param stackTrace      the original stack trace
     * @param cause           the original cause, as a RemoteException, or null
     */
    public RemoteException(String remoteClassName, String remoteMessage, StackTraceElement[] stackTrace,
                           RemoteException cause) {
        super(remoteClassName + (remoteMessage == null ? "" : ": " + remoteMessage), cause);
        this.remoteClassName = Objects.requireNonNull(remoteClassName, "remoteClassName");
        this.remoteMessage = remoteMessage;
        setStackTrace(Objects.requireNonNull(stackTrace, "stackTrace"));
    }

    /** @return the class name of the exception thrown in the other process */
    public String remoteClassName() {
        return remoteClassName;
    }

    /** @return its message, or null if it had none */
    public String remoteMessage() {
        return remoteMessage;
    }

    @Override
    public synchronized RemoteException getCause() {
        return (RemoteException) super.getCause();
    }
}
