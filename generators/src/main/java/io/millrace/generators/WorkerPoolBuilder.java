package io.millrace.generators;

import io.millrace.actors.remote.Shipping;
import io.millrace.shm.ShmDirectory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link WorkerPool}, from {@link WorkerPool#builder()}; every value is checked when set, a wrong one
 * named. The fields are read by the pool's constructor.
 */
public final class WorkerPoolBuilder {
    int size = Math.max(1, Runtime.getRuntime().availableProcessors());
    final List<String> jvmOptions = new ArrayList<>();
    int maxTasksPerWorker;
    SerializableRunnable initializer;
    Path baseDirectory = ShmDirectory.defaultPath();
    Duration startTimeout = Duration.ofSeconds(60);
    boolean lowLatency;

    WorkerPoolBuilder() {
    }

    /** @param value workers, 1 to 256 (default: the number of cores) */
    public WorkerPoolBuilder size(int value) {
        if (value < 1 || value > 256) {
            throw new IllegalArgumentException("size=" + value + " must be from 1 to 256");
        }
        this.size = value;
        return this;
    }

    /** @param option a JVM option of every worker ({@code -Xmx256m}, {@code -Dkey=value}) */
    public WorkerPoolBuilder jvmOption(String option) {
        Objects.requireNonNull(option, "option");
        if (!option.startsWith("-")) {
            throw new IllegalArgumentException("jvmOption=" + option + " must start with '-'");
        }
        jvmOptions.add(option);
        return this;
    }

    /** @param value jobs a worker runs before it is replaced by a fresh JVM; 0 (default): no limit */
    public WorkerPoolBuilder maxTasksPerWorker(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("maxTasksPerWorker=" + value + " must not be negative");
        }
        this.maxTasksPerWorker = value;
        return this;
    }

    /**
     * @param value run once in every worker before its first job; one that throws breaks the pool
     * @throws IllegalArgumentException if it cannot be shipped, naming what it captured
     */
    public WorkerPoolBuilder initializer(SerializableRunnable value) {
        Shipping.ship(Objects.requireNonNull(value, "initializer"));
        this.initializer = value;
        return this;
    }

    /** @param value the shared-memory base directory of the pool and its workers */
    public WorkerPoolBuilder baseDirectory(Path value) {
        this.baseDirectory = Objects.requireNonNull(value, "baseDirectory");
        return this;
    }

    /** @param value how long a worker may take to start, positive (default 60 s); a later one is killed */
    public WorkerPoolBuilder startTimeout(Duration value) {
        PoolSupport.requirePositive(value, "startTimeout");
        this.startTimeout = value;
        return this;
    }

    /**
     * @param value true: the lanes of the pool and its workers spin 100 µs after their last message before they
     *              sleep on a futex, so that a worker takes a task that comes at once after the last one without
     *              being woken (an idle pool still sleeps; the pool hands a task to the worker it freed last,
     *              so that one caller keeps one worker spinning, not all); false (default): they sleep after a
     *              brief spin
     */
    public WorkerPoolBuilder lowLatency(boolean value) {
        this.lowLatency = value;
        return this;
    }

    /** @return the pool; its workers start now, in the background */
    public WorkerPool build() {
        return new WorkerPool(this);
    }
}
