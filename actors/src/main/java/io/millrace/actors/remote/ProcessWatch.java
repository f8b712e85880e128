package io.millrace.actors.remote;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Tells when other processes exit, without polling {@code /proc}: on Linux 5.3 and later each watched process is a
 * pidfd ({@code pidfd_open}), and one daemon thread sleeps in {@code poll(2)} on all of them and an eventfd that wakes
 * it for new watches. The kernel makes a pidfd readable the moment its process exits, so a death is known in
 * microseconds, and the thread costs nothing while nobody dies. Elsewhere (or if the calls are refused) the thread
 * asks {@link ProcessHandle} every {@value #FALLBACK_POLL_MILLIS} ms instead.
 *
 * <p>A pid can be reused once its process is gone. A watch may name the start instant the caller knows for the
 * process ({@link ProcessHandle.Info#startInstant()}); if the process under that pid started at another instant, the
 * watched one is already gone and the callback runs at once.
 */
public final class ProcessWatch {
    static final long FALLBACK_POLL_MILLIS = 10;
    private static final int POLLIN = 0x1;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int PIDFD_SYSCALL = pidfdSyscall();
    private static final ProcessWatch SHARED = new ProcessWatch();

    private final Map<Long, Watch> watches = new ConcurrentHashMap<>();
    /** Pidfds of cancelled watches: closed by the watcher's thread, which may be polling them right now. */
    private final java.util.Queue<Watch> cancelled = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicLong ids = new AtomicLong();
    private final Native nativeCalls = Native.load();
    private final int eventFd;
    private volatile Thread thread;

    private ProcessWatch() {
        this.eventFd = nativeCalls == null ? -1 : nativeCalls.eventfd();
    }

    /** The watcher of this JVM. */
    public static ProcessWatch shared() {
        return SHARED;
    }

    /** True when deaths are seen through pidfds; false when this falls back to polling. */
    public boolean usesPidfd() {
        return nativeCalls != null && eventFd >= 0;
    }

    /**
     * Runs {@code onExit} once, on the watcher's thread, when the process {@code pid} exits (at once if it already
     * has). The callback must be quick: it delays the news of other deaths.
     *
     * @param expectedStart the process's start instant if known, to tell it from a later process with the same pid
     * @return a handle whose {@link AutoCloseable#close()} cancels the watch
     */
    public AutoCloseable watch(long pid, Optional<Instant> expectedStart, Runnable onExit) {
        Objects.requireNonNull(expectedStart, "expectedStart");
        Objects.requireNonNull(onExit, "onExit");
        if (pid <= 0) {
            throw new IllegalArgumentException("pid=" + pid + " must be positive");
        }
        long id = ids.incrementAndGet();
        int fd = usesPidfd() ? nativeCalls.pidfdOpen(pid) : -1;
        Watch watch = new Watch(id, pid, fd, onExit);
        if (!sameProcess(pid, expectedStart) || usesPidfd() && fd < 0) {
            watch.fire(nativeCalls); // gone already (pidfd_open fails with ESRCH), or the pid is another process's
            return () -> { };
        }
        watches.put(id, watch);
        ensureThread();
        if (usesPidfd()) {
            nativeCalls.signal(eventFd);
        }
        return () -> {
            Watch removed = watches.remove(id);
            if (removed != null && usesPidfd()) {
                cancelled.add(removed);
                nativeCalls.signal(eventFd);
            }
        };
    }

    /** Watches registered now. */
    public int size() {
        return watches.size();
    }

    private static boolean sameProcess(long pid, Optional<Instant> expectedStart) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        if (expectedStart.isEmpty()) {
            return true;
        }
        return handle.get().info().startInstant().map(start -> start.equals(expectedStart.get())).orElse(true);
    }

    private synchronized void ensureThread() {
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("millrace-process-watch").start(
                    usesPidfd() ? this::pollLoop : this::fallbackLoop);
        }
    }

    private void pollLoop() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(8L * 1024);
            List<Watch> polled = new ArrayList<>();
            while (true) {
                polled.clear();
                polled.addAll(watches.values());
                int count = Math.min(polled.size(), 1023);
                if (fds.byteSize() < 8L * (count + 1)) {
                    fds = arena.allocate(8L * (count + 1));
                }
                fds.set(ValueLayout.JAVA_INT, 0, eventFd);
                fds.set(ValueLayout.JAVA_INT, 4, POLLIN);
                for (int i = 0; i < count; i++) {
                    fds.set(ValueLayout.JAVA_INT, 8L * (i + 1), polled.get(i).fd);
                    fds.set(ValueLayout.JAVA_INT, 8L * (i + 1) + 4, POLLIN);
                }
                int ready = nativeCalls.poll(fds, count + 1, polled.size() > count ? 100 : -1);
                if (ready <= 0) {
                    continue; // EINTR, or the timeout that lets watches beyond the first 1023 in
                }
                if ((fds.get(ValueLayout.JAVA_SHORT, 6) & POLLIN) != 0) {
                    nativeCalls.drain(eventFd);
                }
                for (Watch gone; (gone = cancelled.poll()) != null; ) {
                    gone.cancel(nativeCalls);
                }
                for (int i = 0; i < count; i++) {
                    if ((fds.get(ValueLayout.JAVA_SHORT, 8L * (i + 1) + 6) & POLLIN) != 0) {
                        Watch watch = polled.get(i);
                        if (watches.remove(watch.id) != null) {
                            watch.fire(nativeCalls);
                        }
                    }
                }
            }
        }
    }

    private void fallbackLoop() {
        while (true) {
            for (Watch watch : watches.values()) {
                if (!ProcessHandle.of(watch.pid).map(ProcessHandle::isAlive).orElse(false)
                        && watches.remove(watch.id) != null) {
                    watch.fire(nativeCalls);
                }
            }
            LockSupport.parkNanos(FALLBACK_POLL_MILLIS * 1_000_000L);
        }
    }

    private static int pidfdSyscall() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))
                ? 434 : -1;
    }

    private static final class Watch {
        final long id;
        final long pid;
        final int fd;
        private final Runnable onExit;

        Watch(long id, long pid, int fd, Runnable onExit) {
            this.id = id;
            this.pid = pid;
            this.fd = fd;
            this.onExit = onExit;
        }

        void fire(Native calls) {
            cancel(calls);
            try {
                onExit.run();
            } catch (RuntimeException e) {
                System.err.println("millrace: a process-exit callback for pid " + pid + " failed: " + e);
            }
        }

        void cancel(Native calls) {
            if (fd >= 0 && calls != null) {
                calls.close(fd);
            }
        }
    }

    /** The libc calls, or null where they are not available. */
    private record Native(MethodHandle syscallHandle, MethodHandle pollHandle, MethodHandle eventfdHandle,
                          MethodHandle readHandle, MethodHandle writeHandle, MethodHandle closeHandle,
                          MemorySegment word) {

        static Native load() {
            if (PIDFD_SYSCALL < 0 || Boolean.getBoolean("millrace.pidfd.disable")) {
                return null;
            }
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                MethodHandle syscall = linker.downcallHandle(libc.find("syscall").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(1));
                MethodHandle poll = linker.downcallHandle(libc.find("poll").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                                ValueLayout.JAVA_INT));
                MethodHandle eventfd = linker.downcallHandle(libc.find("eventfd").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                FunctionDescriptor io = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG);
                MethodHandle read = linker.downcallHandle(libc.find("read").orElseThrow(), io);
                MethodHandle write = linker.downcallHandle(libc.find("write").orElseThrow(), io);
                MethodHandle close = linker.downcallHandle(libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
                Native calls = new Native(syscall, poll, eventfd, read, write, close, Arena.global().allocate(8, 8));
                int probe = calls.pidfdOpen(ProcessHandle.current().pid());
                if (probe < 0) {
                    return null; // a kernel before 5.3, or a seccomp filter: poll instead
                }
                calls.close(probe);
                return calls;
            } catch (Throwable e) {
                return null; // no native access, no such symbol: poll instead
            }
        }

        int pidfdOpen(long pid) {
            try {
                return (int) (long) syscallHandle.invokeExact((long) PIDFD_SYSCALL, pid, 0);
            } catch (Throwable e) {
                return -1;
            }
        }

        int eventfd() {
            try {
                return (int) eventfdHandle.invokeExact(0, EFD_CLOEXEC);
            } catch (Throwable e) {
                return -1;
            }
        }

        int poll(MemorySegment fds, int count, int timeoutMillis) {
            try {
                return (int) pollHandle.invokeExact(fds, (long) count, timeoutMillis);
            } catch (Throwable e) {
                return -1;
            }
        }

        void signal(int fd) {
            synchronized (word) {
                word.set(ValueLayout.JAVA_LONG, 0, 1L);
                try {
                    long ignored = (long) writeHandle.invokeExact(fd, word, 8L);
                } catch (Throwable e) {
                    // the poll times out instead
                }
            }
        }

        void drain(int fd) {
            try (Arena arena = Arena.ofConfined()) {
                long ignored = (long) readHandle.invokeExact(fd, arena.allocate(8, 8), 8L);
            } catch (Throwable e) {
                // nothing to drain
            }
        }

        void close(int fd) {
            try {
                int ignored = (int) closeHandle.invokeExact(fd);
            } catch (Throwable e) {
                // already closed
            }
        }
    }
}
