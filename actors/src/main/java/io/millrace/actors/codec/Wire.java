package io.millrace.actors.codec;

/**
 * The wire format of a message, in one place.
 *
 * <pre>
 *   message   = typeId:varint body                   (typeId of the message's class, never 0)
 *   typeId    = 0 null | 1..31 built-in (below) | 32 + id of the class name in the {@link TypeRegistry}
 *   body of
 *     record    = fieldCount:varint field*           (components in declaration order)
 *     field     = primitive | slot                   (by the component's declared type)
 *     primitive = boolean 1 byte (0/1) | byte 1 | short 2 | char 2 | int 4 | long 8 | float 4 | double 8
 *     slot      = exact:  0 (null) | 1 body          for a final declared type (String, a box, a record, an enum,
 *                                                    Instant, Duration, a primitive array, ActorRef, a type with a
 *                                                    registered Codec; List/Set/Map/Optional with their elements'
 *                                                    slots)
 *               | dynamic: typeId:varint body        for Object, an interface, an abstract class or a type
 *                                                    variable: the value's own class decides
 *     enum      = ordinal:varint
 *     String    = (chars &lt;&lt; 1 | utf16):varint, then chars bytes (Latin-1) or 2 x chars bytes (UTF-16)
 *     box       = the primitive
 *     Instant, Duration = seconds:long nanos:int
 *     array     = count:varint, count elements, packed (boolean as 1 byte each)
 *     List, Set = count:varint slot*                 (decoded as unmodifiable, in encounter order)
 *     Map       = count:varint (keySlot valueSlot)*
 *     Optional  = slot                               (null for empty)
 *     ActorRef  = system:String node:long path:String uid:long   (its ActorPath; a resolver turns it back)
 *     custom    = length:varint, length bytes written by the user's Codec
 * </pre>
 * Numbers are in the host's byte order, unaligned: both ends share the machine. A varint is unsigned LEB128 (7 bits
 * a byte, low group first). A record's field count guards against a class that changed between the two processes.
 */
final class Wire {
    static final int NULL = 0;
    static final int BOOLEAN = 1;
    static final int BYTE = 2;
    static final int SHORT = 3;
    static final int CHAR = 4;
    static final int INT = 5;
    static final int LONG = 6;
    static final int FLOAT = 7;
    static final int DOUBLE = 8;
    static final int STRING = 9;
    static final int BOOLEAN_ARRAY = 10;
    static final int BYTE_ARRAY = 11;
    static final int SHORT_ARRAY = 12;
    static final int CHAR_ARRAY = 13;
    static final int INT_ARRAY = 14;
    static final int LONG_ARRAY = 15;
    static final int FLOAT_ARRAY = 16;
    static final int DOUBLE_ARRAY = 17;
    static final int LIST = 18;
    static final int SET = 19;
    static final int MAP = 20;
    static final int OPTIONAL = 21;
    static final int ACTOR_REF = 22;
    static final int INSTANT = 23;
    static final int DURATION = 24;
    /** The wire id of registry id 0; built-in ids stay below it. */
    static final int FIRST_USER_ID = 32;

    private Wire() {
    }

    static int varintSize(int value) {
        return (31 - Integer.numberOfLeadingZeros(value | 1)) / 7 + 1;
    }

    static boolean isLatin1(String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            if (value.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    static int stringSize(String value) {
        int length = value.length();
        if (length > (Integer.MAX_VALUE >>> 2)) {
            throw new CodecException("string of length=" + length + " is too long for a message");
        }
        int bytes = isLatin1(value) ? length : 2 * length;
        return varintSize(length << 1) + bytes;
    }
}
