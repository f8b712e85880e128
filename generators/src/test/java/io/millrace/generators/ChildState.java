package io.millrace.generators;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

/** State that lives in a worker JVM, for the tests' tasks, generators and extracts. */
final class ChildState {
    static final AtomicLong TOTAL = new AtomicLong();
    static final AtomicLong GENERATED = new AtomicLong();

    private ChildState() {
    }

    /** Adds to this JVM's total. */
    static long add(long value) {
        TOTAL.addAndGet(value);
        return value;
    }

    /** The extract: what was added since the last call, and reset. */
    static long takeTotal() {
        return TOTAL.getAndSet(0);
    }

    /** 0, 1, 2, ... for ever, counting each element made in {@link #GENERATED}. */
    static Iterator<Long> naturals() {
        GENERATED.set(0);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Long next() {
                return GENERATED.getAndIncrement();
            }
        };
    }

    /** @return how many elements {@link #naturals} made in this JVM */
    static long generated() {
        return GENERATED.get();
    }

    /** "r0", "r1", ... then an IllegalArgumentException at element {@code n}. */
    static Iterator<String> failingAt(int n) {
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public String next() {
                if (i == n) {
                    throw new IllegalArgumentException("bad record " + n);
                }
                return "r" + i++;
            }
        };
    }

    /** Kills this JVM with SIGKILL, as an outside killer would. */
    static void killSelf() {
        try {
            new ProcessBuilder("kill", "-9", "" + ProcessHandle.current().pid()).start().waitFor();
            Thread.sleep(60_000);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("still alive after kill -9");
    }

    /** Kills this JVM unless {@code marker} exists, creating it: only the first caller of all JVMs dies. */
    static void killSelfTheFirstTime(String marker) {
        try {
            Files.createFile(Path.of(marker));
        } catch (FileAlreadyExistsException e) {
            return;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        killSelf();
    }
}
