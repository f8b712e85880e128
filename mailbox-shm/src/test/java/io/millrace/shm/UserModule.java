package io.millrace.shm;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A user's module for module-path tests: compiles the sources of a module against the entries of this test's class
 * path that are the named modules, and gives the module path to run it with ({@code -p <path> -m <module>/<main>}).
 */
public final class UserModule {
    private UserModule() {
    }

    /**
     * @param sources  the module's source root (its module-info.java and packages)
     * @param modules  the module names it needs from the class path (automatic ones included): all must be there
     * @param compiled an empty directory for its classes
     * @return the module path: the needed class path entries, then {@code compiled}
     * @throws IOException          when the sources cannot be listed
     * @throws IllegalStateException when a needed module is not on the class path or javac fails, with its output
     */
    public static String compile(Path sources, Set<String> modules, Path compiled) throws IOException {
        List<String> entries = new ArrayList<>();
        Set<String> found = new TreeSet<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = moduleName(Path.of(entry));
            if (name != null && modules.contains(name)) {
                entries.add(entry);
                found.add(name);
            }
        }
        if (!found.equals(new TreeSet<>(modules))) {
            throw new IllegalStateException("modules on the class path: found=" + found + " needed=" + modules);
        }
        List<String> args = new ArrayList<>(List.of("--module-path", String.join(File.pathSeparator, entries),
                "-d", compiled.toString()));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> args.add(p.toString()));
        }
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, errors, errors, args.toArray(String[]::new));
        if (status != 0) {
            throw new IllegalStateException("javac " + args + " status=" + status + ": " + errors);
        }
        entries.add(compiled.toString());
        return String.join(File.pathSeparator, entries);
    }

    /** The module name of a class path entry (a jar, or a directory with a module-info), or null. */
    private static String moduleName(Path entry) {
        if (Files.isDirectory(entry) && !Files.exists(entry.resolve("module-info.class"))) {
            return null;
        }
        try {
            return ModuleFinder.of(entry).findAll().stream().map(ModuleReference::descriptor)
                    .map(d -> d.name()).findFirst().orElse(null);
        } catch (RuntimeException e) {
            return null; // not a module (a jar whose name makes no module name, say)
        }
    }
}
