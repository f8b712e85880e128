package io.millrace.actors.launch;

import io.millrace.shm.Jvm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to run in a child JVM: a main class, its arguments, and how the JVM is started. By default the child runs the
 * same JDK and class path as this JVM, with {@link Jvm#NATIVE_ACCESS_FLAG} (Millrace's one flag) and no
 * heap setting of its own. When this JVM runs Millrace on the module path, so does the child: the same module path,
 * the same modules resolved (those of this JVM's boot layer that come from the module path, the user's included, so
 * that shipped lambdas and message records load), and native access for {@link Jvm#NATIVE_ACCESS_MODULES}.
 *
 * <pre>{@code
 * ChildJvmSpec spec = ChildJvmSpec.of("worker-1", Worker.class.getName())
 *         .args("--shard", "3").heap("256m").jvmOption("-Dfoo=bar").env("TZ", "UTC");
 * }</pre>
 */
public final class ChildJvmSpec {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern HEAP = Pattern.compile("[1-9][0-9]*[kKmMgG]?");

    private final String name;
    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private String heap;
    private String classPath = System.getProperty("java.class.path");
    private String modulePath = System.getProperty("jdk.module.path");
    private String javaHome = System.getProperty("java.home");

    private ChildJvmSpec(String name, String mainClass) {
        this.name = name;
        this.mainClass = mainClass;
    }

    /**
     * A child named {@code name} (letters, digits, '.', '_', '-'; it prefixes the child's output lines) that runs the
     * {@code main} of {@code mainClass}.
     *
     * @throws IllegalArgumentException if the name is not valid or the class name is blank
     */
    public static ChildJvmSpec of(String name, String mainClass) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mainClass, "mainClass");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name=" + name + " must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (mainClass.isBlank()) {
            throw new IllegalArgumentException("mainClass=" + mainClass + " must name a class");
        }
        return new ChildJvmSpec(name, mainClass);
    }

    /** Appends arguments for the child's {@code main}. */
    public ChildJvmSpec args(String... values) {
        for (String value : values) {
            args.add(Objects.requireNonNull(value, "arg"));
        }
        return this;
    }

    /** Appends a JVM option such as {@code -Dname=value} or {@code -XX:+UseParallelGC}. */
    public ChildJvmSpec jvmOption(String option) {
        Objects.requireNonNull(option, "option");
        if (!option.startsWith("-")) {
            throw new IllegalArgumentException("jvmOption=" + option + " must start with '-'");
        }
        jvmOptions.add(option);
        return this;
    }

    /** The child's maximum heap, as {@code -Xmx} takes it ({@code 256m}, {@code 2g}). */
    public ChildJvmSpec heap(String size) {
        Objects.requireNonNull(size, "size");
        if (!HEAP.matcher(size).matches()) {
            throw new IllegalArgumentException("heap=" + size + " must be a size such as 256m or 2g");
        }
        this.heap = size;
        return this;
    }

    /** Sets an environment variable of the child (it inherits this process's environment otherwise). */
    public ChildJvmSpec env(String key, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (key.isEmpty() || key.indexOf('=') >= 0) {
            throw new IllegalArgumentException("env key=" + key + " must be non-empty and contain no '='");
        }
        env.put(key, value);
        return this;
    }

    /** The class path of the child; this JVM's by default. */
    public ChildJvmSpec classPath(String value) {
        this.classPath = Objects.requireNonNull(value, "classPath");
        return this;
    }

    /**
     * The module path of the child; this JVM's ({@code jdk.module.path}) by default. It is used only when Millrace
     * itself runs as a named module ({@code io.millrace.actors} on the module path); otherwise the child runs on the
     * class path.
     */
    public ChildJvmSpec modulePath(String value) {
        this.modulePath = Objects.requireNonNull(value, "modulePath");
        return this;
    }

    /** The JDK the child runs; this JVM's by default. */
    public ChildJvmSpec javaHome(String value) {
        this.javaHome = Objects.requireNonNull(value, "javaHome");
        return this;
    }

    public String name() {
        return name;
    }

    public String mainClass() {
        return mainClass;
    }

    /** The command line: java, the flags, the launcher's bootstrap, the main class and its arguments. */
    List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(java.nio.file.Path.of(javaHome, "bin", "java").toString());
        boolean onModulePath = ChildMain.class.getModule().isNamed() && modulePath != null && !modulePath.isEmpty();
        command.add(onModulePath ? BootModules.nativeAccessFlag() : Jvm.NATIVE_ACCESS_FLAG);
        if (heap != null) {
            command.add("-Xmx" + heap);
        }
        command.addAll(jvmOptions);
        if (onModulePath) {
            command.add("--module-path");
            command.add(modulePath);
            command.add("--add-modules");
            command.add(BootModules.fromModulePath());
        }
        if (!onModulePath || classPath != null && !classPath.isEmpty()) {
            command.add("-cp");
            command.add(classPath);
        }
        if (onModulePath) {
            command.add("-m");
            command.add(ChildMain.class.getModule().getName() + "/" + ChildMain.class.getName());
        } else {
            command.add(ChildMain.class.getName());
        }
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    Map<String, String> env() {
        return env;
    }

    @Override
    public String toString() {
        return "ChildJvmSpec[" + name + ": " + mainClass + " " + args + ", jvmOptions=" + jvmOptions
                + (heap == null ? "" : ", heap=" + heap) + "]";
    }
}
