package io.millrace.actors.launch;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/**
 * The bootstrap of every child JVM that {@link ChildJvm} starts: it watches the pipe on its standard input, which
 * only the parent holds, and ends the JVM when that pipe closes (the parent exited or was killed, with any signal), so
 * that a child never outlives its parent. Then it runs the {@code main} of the class named by its first argument with
 * the remaining ones.
 *
 * <p>On the parent's death the child exits with status {@value #ORPHANED} through {@link System#exit}, so its shutdown
 * hooks run (closing regions, removing files); a {@link Runtime#halt} follows after {@value #HALT_AFTER_MILLIS} ms if
 * they hang.
 */
public final class ChildMain {
    /** The exit status of a child whose parent went away. */
    public static final int ORPHANED = 3;
    static final long HALT_AFTER_MILLIS = 5_000;

    private ChildMain() {
    }

    public static void main(String[] args) throws Throwable {
        if (args.length < 1) {
            System.err.println("usage: ChildMain <main class> [args...]");
            System.exit(2);
        }
        Thread.ofPlatform().daemon().name("millrace-parent-watch").start(() -> watchParent(System.in));
        Method main;
        try {
            Class<?> target = Class.forName(args[0], true, ChildMain.class.getClassLoader());
            main = target.getDeclaredMethod("main", String[].class);
            if (!Modifier.isStatic(main.getModifiers())) {
                throw new NoSuchMethodException(args[0] + ".main(String[]) is not static");
            }
            if (!main.trySetAccessible() && !main.canAccess(null)) {
                throw new IllegalAccessException(accessHint(target));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("cannot run " + args[0] + ": " + e);
            System.exit(2);
            return;
        }
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** What a module must declare for this bootstrap to call a main of {@code target}. */
    static String accessHint(Class<?> target) {
        return target.getName() + ".main(String[]) is not accessible to " + ChildMain.class.getModule()
                + ": make it public in a public class, and export its package to io.millrace.actors (add 'exports "
                + target.getPackageName() + " to io.millrace.actors;' to the module-info of " + target.getModule()
                + ")";
    }

    /** Reads the parent's pipe until it closes, then ends this JVM. */
    static void watchParent(InputStream parentPipe) {
        byte[] ignored = new byte[64];
        try {
            while (parentPipe.read(ignored) >= 0) {
                // the parent writes nothing; reading returns only at EOF
            }
        } catch (IOException closed) {
            // the pipe broke: same as EOF
        }
        Thread.ofPlatform().daemon().name("millrace-halt").start(() -> {
            try {
                Thread.sleep(HALT_AFTER_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(ORPHANED);
        });
        System.exit(ORPHANED);
    }
}
