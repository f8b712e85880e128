package io.millrace.actors.codec;

/**
 * A place that holds a reference: a record component, a collection element, a map key or value, the message
 * itself. An exact slot knows its plan from the declared type and writes a null flag; a dynamic one (Object, an
 * interface, a type variable) writes the value's type id, 0 for null (see {@link Wire}).
 */
final class Slot {
    private final MessageCodec codec;
    /** The declared type's plan, or null for a dynamic slot. */
    private final ValuePlan plan;
    /** Where the slot is, for error messages: the owner's class name and the component. */
    private final String owner;
    private final String field;

    Slot(MessageCodec codec, ValuePlan plan, String owner, String field) {
        this.codec = codec;
        this.plan = plan;
        this.owner = owner;
        this.field = field;
    }

    /** The declared type's plan, or null for a dynamic slot. */
    ValuePlan plan() {
        return plan;
    }

    int size(Object value, int depth) {
        if (value == null) {
            return 1;
        }
        ValuePlan p = plan;
        if (p == null) {
            p = dynamicPlan(value);
            return Wire.varintSize(codec.wireId(p)) + p.size(value, depth);
        }
        return 1 + sizeExact(p, value, depth);
    }

    private int sizeExact(ValuePlan p, Object value, int depth) {
        try {
            return p.size(value, depth);
        } catch (ClassCastException e) {
            throw wrongType(value);
        }
    }

    void write(Object value, Writer writer) {
        if (value == null) {
            writer.writeByte(0);
            return;
        }
        ValuePlan p = plan;
        if (p == null) {
            p = dynamicPlan(value);
            writer.writeVarint(codec.wireId(p));
        } else {
            writer.writeByte(1);
        }
        p.write(value, writer);
    }

    Object read(Reader reader) {
        if (plan == null) {
            long at = reader.offset();
            int id = reader.readVarint();
            return id == Wire.NULL ? null : codec.planOfWireId(id, at).read(reader);
        }
        return reader.readPresent() ? plan.read(reader) : null;
    }

    private ValuePlan dynamicPlan(Object value) {
        try {
            return codec.planOf(value.getClass());
        } catch (UnsupportedMessageException e) {
            throw new UnsupportedMessageException(owner, field, value.getClass().getName(), e.getMessage());
        }
    }

    private UnsupportedMessageException wrongType(Object value) {
        return new UnsupportedMessageException(owner, field, value.getClass().getName(),
                "it is declared as " + plan.type.getName() + " (heap pollution through a raw or unchecked type?)");
    }
}
