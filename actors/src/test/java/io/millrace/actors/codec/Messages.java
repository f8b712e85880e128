package io.millrace.actors.codec;

import io.millrace.actors.ActorPath;
import io.millrace.actors.ActorRef;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/** Message types for the codec's tests, and seeded random values of them. */
final class Messages {
    private Messages() {
    }

    record Primitives(boolean z, byte b, short s, char c, int i, long l, float f, double d) {
    }

    record Boxes(Boolean z, Byte b, Short s, Character c, Integer i, Long l, Float f, Double d) {
    }

    record Texts(String latin, String unicode, String empty, String absent) {
    }

    record Arrays(boolean[] z, byte[] b, short[] s, char[] c, int[] i, long[] l, float[] f, double[] d) {
    }

    record Collections(List<String> names, Set<Integer> ids, Map<String, List<Long>> index, Optional<String> note,
                       Optional<Point> empty, List<Object> mixed, Map<Color, Point> byColor) {
    }

    record Times(Instant at, Duration after) {
    }

    enum Color { RED, GREEN, BLUE { @Override public String toString() { return "blue"; } } }

    record Point(int x, int y) {
    }

    record Line(Point from, Point to, Color color, String label) {
    }

    sealed interface Shape permits Circle, Square, Group {
    }

    record Circle(Point center, double radius) implements Shape {
    }

    record Square(Point corner, double side) implements Shape {
    }

    record Group(String name, List<Shape> shapes, Shape main) implements Shape {
    }

    record Envelope(Object payload, Shape shape, Comparable<?> key) {
    }

    record Box<T>(T value) {
    }

    record Node(int value, Node next) {
    }

    record Empty() {
    }

    record Ping(int seq, long sentNanos, String from) {
    }

    record Order(long id, String customer, List<Line> lines, Optional<Instant> deadline, Color color) {
    }

    record WithRef(String name, ActorRef<Ping> replyTo) {
    }

    /** An {@link ActorRef} whose only state is its path, as a fake actor system's resolver returns. */
    record FakeRef<T>(ActorPath path) implements ActorRef<T> {
        @Override
        public void tell(T message) {
            throw new UnsupportedOperationException("a fake ref");
        }

        @Override
        @SuppressWarnings("unchecked")
        public <U extends T> ActorRef<U> narrow() {
            return (ActorRef<U>) this;
        }
    }

    static String latin(Random random, int max) {
        char[] chars = new char[random.nextInt(max + 1)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) random.nextInt(256);
        }
        return new String(chars);
    }

    static String unicode(Random random, int max) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            sb.appendCodePoint(random.nextInt(4) == 0 ? 0x1F600 + random.nextInt(64) : 0x100 + random.nextInt(0xD000));
        }
        return sb.append('\u20AC').toString();
    }

    static Point point(Random random) {
        return new Point(random.nextInt(), random.nextInt());
    }

    static Primitives primitives(Random r) {
        return new Primitives(r.nextBoolean(), (byte) r.nextInt(), (short) r.nextInt(), (char) r.nextInt(),
                r.nextInt(), r.nextLong(), r.nextFloat(), r.nextDouble());
    }

    static Boxes boxes(Random r) {
        return new Boxes(r.nextBoolean() ? null : r.nextBoolean(), r.nextBoolean() ? null : (byte) r.nextInt(),
                r.nextBoolean() ? null : (short) r.nextInt(), r.nextBoolean() ? null : (char) r.nextInt(),
                r.nextBoolean() ? null : r.nextInt(), r.nextBoolean() ? null : r.nextLong(),
                r.nextBoolean() ? null : r.nextFloat(), r.nextBoolean() ? null : r.nextDouble());
    }

    static Arrays arrays(Random r) {
        int n = r.nextInt(20);
        boolean[] z = new boolean[n];
        byte[] b = new byte[r.nextInt(300)];
        short[] s = new short[n];
        char[] c = new char[n];
        int[] i = new int[n];
        long[] l = new long[n];
        float[] f = new float[n];
        double[] d = new double[n];
        r.nextBytes(b);
        for (int k = 0; k < n; k++) {
            z[k] = r.nextBoolean();
            s[k] = (short) r.nextInt();
            c[k] = (char) r.nextInt();
            i[k] = r.nextInt();
            l[k] = r.nextLong();
            f[k] = r.nextFloat();
            d[k] = r.nextDouble();
        }
        return new Arrays(z, b, s, c, i, r.nextBoolean() ? null : l, f, d);
    }

    static Collections collections(Random r) {
        List<String> names = new ArrayList<>();
        Set<Integer> ids = new LinkedHashSet<>();
        Map<String, List<Long>> index = new HashMap<>();
        List<Object> mixed = new ArrayList<>();
        Map<Color, Point> byColor = new LinkedHashMap<>();
        for (int k = r.nextInt(8); k > 0; k--) {
            names.add(r.nextInt(5) == 0 ? null : latin(r, 10));
            ids.add(r.nextInt(100));
            index.put(latin(r, 6), List.of(r.nextLong(), r.nextLong()));
            mixed.add(switch (r.nextInt(6)) {
                case 0 -> r.nextInt();
                case 1 -> unicode(r, 5);
                case 2 -> point(r);
                case 3 -> Color.values()[r.nextInt(3)];
                case 4 -> List.of(r.nextDouble());
                default -> Optional.of(r.nextLong());
            });
            byColor.put(Color.values()[r.nextInt(3)], point(r));
        }
        return new Collections(names, ids, index, r.nextBoolean() ? Optional.empty() : Optional.of(latin(r, 4)),
                Optional.empty(), mixed, byColor);
    }

    static Shape shape(Random r, int depth) {
        return switch (depth > 2 ? r.nextInt(2) : r.nextInt(3)) {
            case 0 -> new Circle(point(r), r.nextDouble());
            case 1 -> new Square(point(r), r.nextDouble());
            default -> {
                List<Shape> shapes = new ArrayList<>();
                for (int k = r.nextInt(4); k > 0; k--) {
                    shapes.add(shape(r, depth + 1));
                }
                yield new Group(latin(r, 8), shapes, r.nextBoolean() ? null : shape(r, depth + 1));
            }
        };
    }

    static Order order(Random r) {
        List<Line> lines = new ArrayList<>();
        for (int k = r.nextInt(4); k > 0; k--) {
            lines.add(new Line(point(r), point(r), Color.values()[r.nextInt(3)], latin(r, 12)));
        }
        return new Order(r.nextLong(), latin(r, 16), lines,
                r.nextBoolean() ? Optional.empty() : Optional.of(Instant.ofEpochSecond(r.nextInt(), r.nextInt(1_000_000_000))),
                Color.values()[r.nextInt(3)]);
    }

    static Node chain(Random r, int length) {
        Node node = null;
        for (int k = 0; k < length; k++) {
            node = new Node(r.nextInt(), node);
        }
        return node;
    }

    static ActorPath path(Random r) {
        return new ActorPath("sys-" + r.nextInt(10), r.nextLong(), "/user/a" + r.nextInt(100), r.nextLong());
    }

    /** One random message of each kind the tests cover, by name. */
    static Object sample(String kind, Random r) {
        return switch (kind) {
            case "primitives" -> primitives(r);
            case "boxes" -> boxes(r);
            case "texts" -> new Texts(latin(r, 40), unicode(r, 20), "", null);
            case "arrays" -> arrays(r);
            case "collections" -> collections(r);
            case "times" -> new Times(Instant.ofEpochSecond(r.nextLong() % 31_556_889_864_403_199L,
                    r.nextInt(1_000_000_000)), Duration.ofSeconds(r.nextLong(), r.nextInt(1_000_000_000)));
            case "enum" -> Color.values()[r.nextInt(3)];
            case "nested" -> new Line(point(r), r.nextBoolean() ? null : point(r), Color.BLUE, latin(r, 5));
            case "sealed" -> shape(r, 0);
            case "envelope" -> new Envelope(sample(List.of("primitives", "texts", "enum", "sealed", "times")
                    .get(r.nextInt(5)), r), shape(r, 1), r.nextBoolean() ? latin(r, 3) : (Comparable<?>) r.nextLong());
            case "generic" -> new Box<>(r.nextBoolean() ? point(r) : List.of(latin(r, 3), r.nextInt()));
            case "recursive" -> chain(r, 1 + r.nextInt(50));
            case "empty" -> new Empty();
            case "order" -> order(r);
            case "ref" -> new WithRef(latin(r, 5), new FakeRef<>(path(r)));
            case "string" -> unicode(r, 30);
            case "int" -> r.nextInt();
            case "long[]" -> new long[]{r.nextLong(), r.nextLong()};
            case "list" -> List.of(point(r), latin(r, 4), r.nextDouble());
            case "map" -> Map.of(latin(r, 3) + "k", point(r));
            case "optional" -> Optional.of(new Empty());
            default -> throw new IllegalArgumentException(kind);
        };
    }

    static final List<String> KINDS = List.of("primitives", "boxes", "texts", "arrays", "collections", "times",
            "enum", "nested", "sealed", "envelope", "generic", "recursive", "empty", "order", "ref", "string", "int",
            "long[]", "list", "map", "optional");
}
