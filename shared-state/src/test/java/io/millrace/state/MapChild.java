package io.millrace.state;

import io.millrace.actors.codec.MessageCodec;
import io.millrace.actors.codec.SharedTypeRegistry;
import io.millrace.shm.ShmDirectory;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM for {@link SharedMapCrossProcessTest}: {@code DIR NAME COMMAND ARGS...} on a map of {@code String} to
 * {@code Long}. Prints {@code READY} once attached and {@code DONE} at the end.
 */
public final class MapChild {
    private MapChild() {
    }

    static SharedMap<String, Long> open(ShmDirectory directory, String name, MessageCodec codec) {
        return SharedMap.open(directory, name, EntryCodec.of(codec, String.class), EntryCodec.of(codec, Long.class),
                Duration.ofSeconds(10));
    }

    public static void main(String[] args) {
        ShmDirectory directory = ShmDirectory.at(Path.of(args[0]));
        try (SharedTypeRegistry registry = SharedTypeRegistry.open(directory, Duration.ofSeconds(10));
             SharedMap<String, Long> map = open(directory, args[1], new MessageCodec(registry))) {
            System.out.println("READY");
            switch (args[2]) {
                case "put" -> map.put(args[3], Long.parseLong(args[4]));
                case "get" -> System.out.println("VALUE " + map.get(args[3]));
                case "remove" -> map.remove(args[3]);
                case "merge" -> { // adds 1 to each of keys k0..k(n-1), round after round
                    int keys = Integer.parseInt(args[3]);
                    int rounds = Integer.parseInt(args[4]);
                    for (int r = 0; r < rounds; r++) {
                        for (int k = 0; k < keys; k++) {
                            map.merge("k" + k, 1L, Long::sum);
                        }
                    }
                }
                default -> throw new IllegalArgumentException("command=" + args[2]);
            }
            System.out.println("DONE");
        }
    }
}
