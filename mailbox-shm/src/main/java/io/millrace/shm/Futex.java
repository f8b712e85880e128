package io.millrace.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Linux futexes on words in shared memory, called through the FFM API ({@code syscall(SYS_futex, ...)}).
 *
 * <p>The operations are the shared (not {@code _PRIVATE}) {@code FUTEX_WAIT} and {@code FUTEX_WAKE}: the
 * kernel keys a futex in a {@code MAP_SHARED} file mapping by file and offset, so a process can sleep on a
 * word that another process changes and wakes. Where futexes are not available ({@link #AVAILABLE} false),
 * callers fall back to timed parking.
 */
final class Futex {
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;

    static final boolean AVAILABLE;
    private static final long SYS_FUTEX;
    private static final MethodHandle SYSCALL;
    /** One {@code struct timespec} per thread for the wait timeout, so that waiting does not allocate. */
    private static final ThreadLocal<MemorySegment> TIMESPEC =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16, 8));

    static {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        long number = switch (arch) {
            case "amd64", "x86_64" -> 202;
            case "aarch64" -> 98;
            default -> -1;
        };
        MethodHandle handle = null;
        if (os.contains("linux") && number > 0 && !Boolean.getBoolean("millrace.futex.disable")) {
            try {
                Linker linker = Linker.nativeLinker();
                handle = linker.defaultLookup().find("syscall")
                        .map(symbol -> linker.downcallHandle(symbol,
                                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                        ValueLayout.ADDRESS),
                                Linker.Option.firstVariadicArg(1)))
                        .orElse(null);
            } catch (RuntimeException e) {
                handle = null; // e.g. native access denied: fall back to parking
            }
        }
        SYSCALL = handle;
        SYS_FUTEX = number;
        AVAILABLE = handle != null;
    }

    private Futex() {
    }

    /**
     * Sleeps while the int at {@code word} equals {@code expected}, at most {@code timeoutNanos}. Returns at
     * once when the word differs; may also return early (a wake, a signal): callers re-check their condition.
     */
    static void await(MemorySegment word, int expected, long timeoutNanos) {
        MemorySegment timespec = TIMESPEC.get();
        timespec.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
        timespec.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
        try {
            long ignored = (long) SYSCALL.invokeExact(SYS_FUTEX, word, FUTEX_WAIT, expected, timespec);
        } catch (Throwable e) {
            throw new IllegalStateException("futex wait failed", e);
        }
    }

    /** Wakes every process and thread sleeping on {@code word}. */
    static void wakeAll(MemorySegment word) {
        try {
            long ignored = (long) SYSCALL.invokeExact(SYS_FUTEX, word, FUTEX_WAKE, Integer.MAX_VALUE,
                    MemorySegment.NULL);
        } catch (Throwable e) {
            throw new IllegalStateException("futex wake failed", e);
        }
    }
}
