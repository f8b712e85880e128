package io.millrace.state;

import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.TypeKind;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.function.UnaryOperator;

import static java.lang.constant.ConstantDescs.CD_String;
import static java.lang.constant.ConstantDescs.CD_boolean;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_long;
import static java.lang.constant.ConstantDescs.CD_void;

/**
 * Generates the flyweight class of a struct interface with the JDK's ClassFile API: a hidden class extending
 * {@link StructBase}, one method per accessor, each a call of the {@link StructAccess} method of its kind at
 * {@code base + offset} (a constant), which the JIT inlines down to the memory access. No reflection at run time.
 * The declaration was checked by {@link StructType} before; anything left over here is a bug.
 */
final class StructGenerator {
    private static final ClassDesc BASE = desc(StructBase.class);
    private static final ClassDesc ACCESS = desc(StructAccess.class);
    private static final ClassDesc SEGMENT = desc(MemorySegment.class);
    private static final MethodTypeDesc CONSTRUCTOR = MethodTypeDesc.of(CD_void, desc(StructArray.class), CD_int);

    private StructGenerator() {
    }

    static MethodHandle generate(Class<?> type, StructLayout layout) {
        ClassDesc self = ClassDesc.of(StructGenerator.class.getPackageName(), "Struct$" + type.getSimpleName());
        byte[] bytes = ClassFile.of().build(self, cb -> {
            cb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC);
            cb.withSuperclass(BASE);
            cb.withInterfaceSymbols(desc(type));
            cb.withMethodBody("<init>", CONSTRUCTOR, ClassFile.ACC_PUBLIC,
                    code -> code.aload(0).aload(1).iload(2).invokespecial(BASE, "<init>", CONSTRUCTOR).return_());
            cb.withMethodBody("snapshot", MethodTypeDesc.of(desc(Record.class)), ClassFile.ACC_PUBLIC,
                    code -> code.aload(0).invokevirtual(BASE, "snapshotRecord", MethodTypeDesc.of(desc(Record.class)))
                            .areturn());
            MethodTypeDesc update = MethodTypeDesc.of(CD_void, desc(UnaryOperator.class));
            cb.withMethodBody("update", update, ClassFile.ACC_PUBLIC,
                    code -> code.aload(0).aload(1).invokevirtual(BASE, "updateRecord", update).return_());
            for (Method m : type.getMethods()) {
                if (m.getDeclaringClass() == Struct.class || m.isDefault() || Modifier.isStatic(m.getModifiers())) {
                    continue;
                }
                MethodTypeDesc signature = MethodType.methodType(m.getReturnType(), m.getParameterTypes())
                        .describeConstable().orElseThrow();
                cb.withMethodBody(m.getName(), signature, ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL,
                        code -> accessor(code, m, layout));
            }
        });
        try {
            StructType.readModuleOf(type);
            MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClass(bytes, true);
            return hidden.findConstructor(hidden.lookupClass(),
                            MethodType.methodType(void.class, StructArray.class, int.class))
                    .asType(MethodType.methodType(Object.class, StructArray.class, int.class));
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot define the flyweight of " + type.getName() + ": " + e, e);
        }
    }

    private static void accessor(CodeBuilder code, Method m, StructLayout layout) {
        String name = m.getName();
        int params = m.getParameterCount();
        StructLayout.Field f = params == 0 || (params == 1 && m.getReturnType() == void.class
                && layout.field(name) != null) ? layout.field(name) : null;
        String op;
        if (f != null) {
            op = params == 0 ? "get" : "set";
        } else if (name.startsWith("add")) {
            f = layout.field(decapitalize(name.substring(3)));
            op = "add";
        } else {
            f = layout.field(decapitalize(name.substring("compareAndSet".length())));
            op = "cas";
        }
        FieldKind kind = f.kind();
        ClassDesc value = desc(kind.type);
        TypeKind valueKind = TypeKind.from(kind.type);
        if (op.equals("get")) {
            code.aload(0).getfield(BASE, "segment", SEGMENT)
                    .aload(0).getfield(BASE, "base", CD_long)
                    .loadConstant(f.offset()).ladd();
            if (kind.hasLength()) {
                code.loadConstant(f.capacity());
                call(code, "get", MethodTypeDesc.of(value, SEGMENT, CD_long, CD_int), kind);
            } else {
                call(code, "get", MethodTypeDesc.of(value, SEGMENT, CD_long), kind);
            }
            code.return_(valueKind);
            return;
        }
        code.aload(0).loadConstant(f.offset()); // writers: the struct and the offset in its element (StructBase)
        switch (op) {
            case "set" -> {
                if (kind.hasLength()) {
                    code.loadConstant(f.capacity()).loadLocal(valueKind, 1).loadConstant(f.name());
                    call(code, "set", MethodTypeDesc.of(CD_void, BASE, CD_long, CD_int, value, CD_String), kind);
                } else {
                    code.loadLocal(valueKind, 1);
                    call(code, "set", MethodTypeDesc.of(CD_void, BASE, CD_long, value), kind);
                }
                code.return_();
            }
            case "add" -> {
                code.loadLocal(valueKind, 1);
                call(code, "add", MethodTypeDesc.of(value, BASE, CD_long, value), kind);
                if (m.getReturnType() == void.class) {
                    if (valueKind.slotSize() == 2) {
                        code.pop2();
                    } else {
                        code.pop();
                    }
                    code.return_();
                } else {
                    code.return_(valueKind);
                }
            }
            default -> {
                code.loadLocal(valueKind, 1).loadLocal(valueKind, 1 + valueKind.slotSize());
                call(code, "cas", MethodTypeDesc.of(CD_boolean, BASE, CD_long, value, value), kind);
                code.ireturn();
            }
        }
    }

    private static void call(CodeBuilder code, String op, MethodTypeDesc type, FieldKind kind) {
        code.invokestatic(ACCESS, op + kind.accessName(), type);
    }

    private static String decapitalize(String s) {
        return Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    private static ClassDesc desc(Class<?> type) {
        return type.describeConstable().orElseThrow();
    }
}
