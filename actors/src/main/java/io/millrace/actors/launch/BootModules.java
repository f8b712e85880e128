package io.millrace.actors.launch;

import io.millrace.shm.Jvm;

import java.lang.module.ResolvedModule;
import java.util.Set;
import java.util.TreeSet;

/**
 * The modules of this JVM's boot layer that a child on the module path must resolve too. The parent may have been
 * started with {@code -m app/Main}, whose root is the user's module alone; the child's root is
 * {@code io.millrace.actors} (its bootstrap, {@link ChildMain}), so without {@code --add-modules} the user's module
 * (its shipped lambdas, its message records, its main classes) would not be resolved there.
 */
final class BootModules {

    private BootModules() {
    }

    /** The names of the boot layer's modules that come from the module path (not the JDK's), comma-separated. */
    static String fromModulePath() {
        return String.join(",", modulePathModules());
    }

    /**
     * {@code --enable-native-access=} for Millrace's modules ({@link Jvm#NATIVE_ACCESS_MODULES}), the class path
     * ({@code ALL-UNNAMED}) and every module from the module path that has native access here.
     */
    static String nativeAccessFlag() {
        Set<String> names = new TreeSet<>(Set.of(Jvm.NATIVE_ACCESS_MODULES.split(",")));
        for (String name : modulePathModules()) {
            if (ModuleLayer.boot().findModule(name).map(Module::isNativeAccessEnabled).orElse(false)) {
                names.add(name);
            }
        }
        return "--enable-native-access=ALL-UNNAMED," + String.join(",", names);
    }

    private static Set<String> modulePathModules() {
        Set<String> names = new TreeSet<>();
        for (ResolvedModule module : ModuleLayer.boot().configuration().modules()) {
            boolean fromJdk = module.reference().location().map(uri -> "jrt".equals(uri.getScheme())).orElse(true);
            if (!fromJdk) {
                names.add(module.name());
            }
        }
        return names;
    }
}
