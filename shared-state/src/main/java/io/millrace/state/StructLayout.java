package io.millrace.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where each field of a struct lies in an element, and the element's control words.
 *
 * <pre>
 *   0        8        16         24       32                                    dataEnd   redo         stride
 *   | lock   | seq    | redoMark | (pad)  | fields: 8-byte, 4, 2, strings, 1     | (pad)   | copy of    |
 *   | owner  | even:  | seq + 1  |        | by alignment then name; a @Padded    |         | the fields |
 *   | ref    | stable | redo ok  |        | field alone on 128 B                 |         | (update)   |
 * </pre>
 *
 * Elements follow one another at {@code stride} (a multiple of 8, of 128 when a field is padded). The order is a
 * function of the declaration (names, types, lengths, padding), never of reflection's method order, so every JVM
 * lays a declaration out alike; {@link #schema()} spells it out and {@link #schemaHash()} is its 64-bit FNV-1a.
 */
final class StructLayout {
    static final long LOCK_OFFSET = 0;
    static final long SEQ_OFFSET = 8;
    static final long REDO_MARK_OFFSET = 16;
    static final long DATA_OFFSET = 32;
    static final int PAD = 128;
    /** Largest element: far below a region's limit, so arrays of structs stay practical. */
    static final long MAX_STRIDE = 1 << 16;

    /** One field: its kind, capacity (strings, bytes) and offset in the element. */
    record Field(String name, FieldKind kind, int capacity, boolean padded, long offset) {
        int bytes() {
            return kind.bytes(capacity);
        }
    }

    /** A field as declared, before layout. */
    record Declared(String name, FieldKind kind, int capacity, boolean padded) {
    }

    final Class<?> type;
    final List<Field> fields;
    final long dataLength;
    final long redoOffset;
    final long stride;
    private final String schema;
    private final long schemaHash;

    StructLayout(Class<?> type, List<Declared> declared) {
        this.type = type;
        List<Declared> order = new ArrayList<>(declared);
        order.sort(Comparator.comparing((Declared d) -> !d.padded())
                .thenComparing(d -> -(d.kind().hasLength() ? 2 : d.kind().size))
                .thenComparing(d -> d.kind().hasLength())
                .thenComparing(Declared::name));
        List<Field> laid = new ArrayList<>();
        long offset = DATA_OFFSET;
        boolean anyPadded = false;
        for (Declared d : order) {
            int bytes = d.kind().bytes(d.capacity());
            if (d.padded()) {
                anyPadded = true;
                offset = align(offset, PAD);
                laid.add(new Field(d.name(), d.kind(), d.capacity(), true, offset));
                offset += align(bytes, PAD);
            } else {
                offset = align(offset, d.kind().hasLength() ? 2 : d.kind().size);
                laid.add(new Field(d.name(), d.kind(), d.capacity(), false, offset));
                offset += bytes;
            }
            if (2 * offset > MAX_STRIDE) {
                throw new StructDeclarationException(type, d.name(), "the layout grows to " + 2 * offset
                        + " bytes an element with this field (data and its update copy), above the limit of "
                        + MAX_STRIDE);
            }
        }
        this.fields = List.copyOf(laid);
        this.dataLength = offset - DATA_OFFSET;
        this.redoOffset = anyPadded ? align(offset, PAD) : align(offset, 8);
        this.stride = align(redoOffset + dataLength, anyPadded ? PAD : 8);
        this.schema = fields.stream().map(f -> f.name() + ":" + f.kind() + (f.kind().hasLength() ? "(" + f.capacity()
                + ")" : "") + "@" + f.offset()).collect(Collectors.joining(",", "", ";stride=" + stride));
        long h = 0xcbf29ce484222325L;
        for (char c : schema.toCharArray()) {
            h = (h ^ c) * 0x100000001b3L;
        }
        this.schemaHash = h;
    }

    static long align(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }

    String schema() {
        return schema;
    }

    long schemaHash() {
        return schemaHash;
    }

    Field field(String name) {
        for (Field f : fields) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }
}
