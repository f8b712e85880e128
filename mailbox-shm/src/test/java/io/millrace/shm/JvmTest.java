package io.millrace.shm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Jvm#NATIVE_ACCESS_FLAG} is the one source of the native-access flag: the pom property and the launcher
 * script that mirror it agree with it, and no Java source spells the flag out instead of using the constant.
 */
class JvmTest {
    /** The root of the build: surefire runs in the module's directory. */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void shouldGiveThePomAndTheLauncherTheSameNativeAccessFlag() throws IOException {
        assertThat(Files.readString(ROOT.resolve("pom.xml")))
                .contains("<millrace.nativeAccess>" + Jvm.NATIVE_ACCESS_FLAG + "</millrace.nativeAccess>");
        assertThat(Files.readString(ROOT.resolve("millrace")))
                .contains("exec \"$JAVA_HOME/bin/java\" " + Jvm.NATIVE_ACCESS_FLAG + " ");
    }

    @Test
    void shouldNameTheSameNativeAccessModulesInTheReadmeAndTheModuleInfo() throws IOException {
        String flag = "--enable-native-access=" + Jvm.NATIVE_ACCESS_MODULES;
        assertThat(Files.readString(ROOT.resolve("README.md"))).contains(flag);
        assertThat(Files.readString(ROOT.resolve("actors/src/main/java/module-info.java"))).contains(flag);
    }

    @Test
    void shouldStartEveryJvmWithTheConstantRatherThanItsText() throws IOException {
        List<Path> spelled;
        try (Stream<Path> files = Files.walk(ROOT)) {
            spelled = files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/"))
                    .filter(p -> !p.getFileName().toString().equals("Jvm.java"))
                    .filter(p -> read(p).contains("\"" + Jvm.NATIVE_ACCESS_FLAG + "\""))
                    .toList();
        }
        assertThat(spelled).as("Java sources that spell the flag instead of using Jvm.NATIVE_ACCESS_FLAG").isEmpty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
