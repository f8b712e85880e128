package io.millrace.state;

/**
 * A struct declaration (an interface of accessors or a record) cannot be laid out: an unsupported field type, a name
 * clash, a missing length, a layout too big. {@link #field()} names the field at fault.
 */
public final class StructDeclarationException extends IllegalArgumentException {
    private final String field;

    StructDeclarationException(Class<?> type, String field, String problem) {
        super("struct " + type.getName() + (field == null ? "" : ", field '" + field + "'") + ": " + problem);
        this.field = field;
    }

    /** {@return the field (or accessor method) at fault, or null when the fault is the type's own} */
    public String field() {
        return field;
    }
}
