package io.millrace.perf.waiting;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * A baseline for a wake-up between processes: bare shared {@code FUTEX_WAIT}/{@code FUTEX_WAKE} on a word
 * of a mapped file, called through FFM, with nothing of Millrace around it. Its own few lines rather than the
 * library's (package-private) futex, so that the probe stays independent of the code it is a baseline for.
 */
final class BareFutex {
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final long SYS_FUTEX = switch (System.getProperty("os.arch", "")) {
        case "amd64", "x86_64" -> 202;
        case "aarch64" -> 98;
        default -> -1;
    };
    private static final MethodHandle SYSCALL = syscall();

    private BareFutex() {
    }

    /** Whether this machine has futexes to measure (Linux on x86-64 or aarch64). */
    static boolean available() {
        return SYSCALL != null;
    }

    private static MethodHandle syscall() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux") || SYS_FUTEX < 0) {
            return null;
        }
        Linker linker = Linker.nativeLinker();
        return linker.defaultLookup().find("syscall").map(symbol -> linker.downcallHandle(symbol,
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
                Linker.Option.firstVariadicArg(1))).orElse(null);
    }

    /** Sleeps while the int at {@code word} is {@code expected}, at most until {@code timespec} (16 bytes) runs out. */
    static void await(MemorySegment word, int expected, MemorySegment timespec) {
        call(word, FUTEX_WAIT, expected, timespec);
    }

    /** Wakes whoever sleeps on {@code word}. */
    static void wake(MemorySegment word) {
        call(word, FUTEX_WAKE, Integer.MAX_VALUE, MemorySegment.NULL);
    }

    private static void call(MemorySegment word, int op, int value, MemorySegment timespec) {
        try {
            long ignored = (long) SYSCALL.invokeExact(SYS_FUTEX, word, op, value, timespec);
        } catch (Throwable e) {
            throw new IllegalStateException("futex call failed", e);
        }
    }
}
