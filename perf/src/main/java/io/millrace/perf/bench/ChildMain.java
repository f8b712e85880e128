package io.millrace.perf.bench;

/**
 * Entry point of every Java child: {@code ChildMain <role> <index> system=.. scenario=.. size=.. ...}.
 * Exits with 0 when the role is done, 1 after reporting an {@code ERROR} line; halts if the parent (the
 * harness, or the pinger that started a pipe ponger) goes away, so that no child outlives a killed harness.
 */
public final class ChildMain {

    private ChildMain() {
    }

    public static void main(String[] args) {
        ProcessHandle.current().parent().ifPresent(parent ->
                parent.onExit().thenRun(() -> Runtime.getRuntime().halt(70)));
        RoleContext ctx = null;
        try {
            String systemName = null;
            for (String a : args) {
                if (a.startsWith("system=")) {
                    systemName = a.substring("system=".length());
                }
            }
            BenchSystem system = Systems.byName(systemName)
                    .orElseThrow(() -> new IllegalArgumentException("unknown system in child arguments"));
            ctx = RoleContext.fromArgs(args, system.maxBytesPerRepetition());
            system.run(ctx);
            System.out.flush();
            System.err.flush();
            System.exit(0);
        } catch (Throwable t) {
            String message = t.getClass().getSimpleName() + ": " + t.getMessage();
            if (ctx != null) {
                ctx.error(message);
            } else {
                System.out.println(ControlLine.error(message));
            }
            t.printStackTrace(System.err);
            System.exit(1);
        }
    }
}
