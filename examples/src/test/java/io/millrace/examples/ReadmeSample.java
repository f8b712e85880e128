package io.millrace.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The README's code samples, for the tests that check each one is taken from a compiled, tested program. */
final class ReadmeSample {
    private ReadmeSample() {
    }

    /** The non-blank lines, stripped, of the first {@code java} block after {@code heading} in the README. */
    static List<String> under(String heading) throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("```java\n", readme.indexOf(heading)) + "```java\n".length();
        return readme.substring(start, readme.indexOf("```", start)).lines()
                .map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    /** The source of the example {@code name} (a class of src/main). */
    static String source(String name) throws IOException {
        return Files.readString(Path.of("src/main/java/io/millrace/examples/" + name + ".java"));
    }
}
