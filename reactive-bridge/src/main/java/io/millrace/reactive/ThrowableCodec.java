package io.millrace.reactive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The bytes of an {@code ERROR} record: a throwable and its causes (at most {@value #MAX_CAUSES}), each as
 * class name, message (a presence flag first) and stack trace (count, then class, method, file or empty, line).
 * {@code DataOutput}'s modified UTF-8 holds strings; longer ones are cut to {@value #MAX_STRING} characters.
 */
final class ThrowableCodec {
    static final int MAX_CAUSES = 16;
    private static final int MAX_STRING = 16_000;
    private static final int MAX_FRAMES = 1024;

    private ThrowableCodec() {
    }

    static byte[] encode(Throwable error) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            int depth = 0;
            for (Throwable t = error; t != null && depth < MAX_CAUSES; t = t.getCause() == t ? null : t.getCause()) {
                depth++;
            }
            out.writeInt(depth);
            Throwable t = error;
            for (int i = 0; i < depth; i++, t = t.getCause()) {
                String className = t instanceof RemoteException remote ? remote.remoteClassName() : t.getClass().getName();
                String message = t instanceof RemoteException remote ? remote.remoteMessage() : t.getMessage();
                out.writeUTF(cut(className));
                out.writeBoolean(message != null);
                if (message != null) {
                    out.writeUTF(cut(message));
                }
                StackTraceElement[] frames = t.getStackTrace();
                int count = Math.min(frames.length, MAX_FRAMES);
                out.writeInt(count);
                for (int f = 0; f < count; f++) {
                    StackTraceElement frame = frames[f];
                    out.writeUTF(cut(frame.getClassName()));
                    out.writeUTF(cut(frame.getMethodName()));
                    out.writeUTF(frame.getFileName() == null ? "" : cut(frame.getFileName()));
                    out.writeInt(frame.getLineNumber());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    static RemoteException decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int depth = in.readInt();
            if (depth < 1 || depth > MAX_CAUSES) {
                throw new IOException("depth=" + depth);
            }
            String[] classNames = new String[depth];
            String[] messages = new String[depth];
            StackTraceElement[][] traces = new StackTraceElement[depth][];
            for (int i = 0; i < depth; i++) {
                classNames[i] = in.readUTF();
                messages[i] = in.readBoolean() ? in.readUTF() : null;
                int count = in.readInt();
                if (count < 0 || count > MAX_FRAMES) {
                    throw new IOException("frames=" + count);
                }
                traces[i] = new StackTraceElement[count];
                for (int f = 0; f < count; f++) {
                    String className = in.readUTF();
                    String method = in.readUTF();
                    String file = in.readUTF();
                    traces[i][f] = new StackTraceElement(className, method, file.isEmpty() ? null : file, in.readInt());
                }
            }
            RemoteException cause = null;
            for (int i = depth - 1; i >= 0; i--) {
                cause = new RemoteException(classNames[i], messages[i], traces[i], cause);
            }
            return cause;
        } catch (IOException e) {
            return new RemoteException(ThrowableCodec.class.getName(), "the publisher's error record could not be"
                    + " read (" + bytes.length + " bytes): " + e, new StackTraceElement[0], null);
        }
    }

    private static String cut(String s) {
        return s.length() > MAX_STRING ? s.substring(0, MAX_STRING) : s;
    }
}
