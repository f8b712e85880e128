package io.millrace.perf.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a child process knows about its trial and how it talks to the harness. Control lines
 * ({@link ControlLine}) go to stdout, or to stderr after {@link #controlOnStderr()} for a role whose stdout
 * carries data (a pipe producer).
 */
public final class RoleContext {

    private static final String READY_PREFIX = "ready.";

    private final TrialSpec trial;
    private final Role role;
    private final int index;
    private final Map<String, String> readyProps;
    private final long maxBytesPerRep;
    private volatile PrintStream control = System.out;

    public RoleContext(TrialSpec trial, Role role, int index, Map<String, String> readyProps, long maxBytesPerRep) {
        this.trial = trial;
        this.role = role;
        this.index = index;
        this.readyProps = Map.copyOf(readyProps);
        this.maxBytesPerRep = maxBytesPerRep;
    }

    static RoleContext fromArgs(String[] args, long maxBytesPerRep) {
        Role role = Role.byId(args[0]);
        int index = Integer.parseInt(args[1]);
        Map<String, String> kv = new LinkedHashMap<>();
        Map<String, String> ready = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("child argument is not key=value: " + args[i]);
            }
            String key = args[i].substring(0, eq);
            String value = args[i].substring(eq + 1);
            if (key.startsWith(READY_PREFIX)) {
                ready.put(key.substring(READY_PREFIX.length()), value);
            } else {
                kv.put(key, value);
            }
        }
        return new RoleContext(TrialSpec.fromArgs(kv), role, index, ready, maxBytesPerRep);
    }

    /**
     * The context of a child started on a class path of its own (see {@link ChildCommand#java(BenchSystem, Role,
     * int, TrialSpec, String, String)}).
     *
     * @param args the child's arguments: role, index, then {@code key=value} pairs
     * @return the context, with no byte bound per repetition
     * @throws IllegalArgumentException when an argument is not {@code key=value} or a trial key is missing
     */
    public static RoleContext parse(String[] args) {
        return fromArgs(args, Long.MAX_VALUE);
    }

    /** How properties reported by {@code READY} reach later processes: {@code ready.key=value} arguments. */
    static String readyArg(String key, String value) {
        return READY_PREFIX + key + "=" + value;
    }

    public TrialSpec trial() {
        return trial;
    }

    public Role role() {
        return role;
    }

    /** Producer number (0..producers-1); 0 for other roles. */
    public int index() {
        return index;
    }

    public Scenario scenario() {
        return trial.scenario();
    }

    public int size() {
        return trial.size();
    }

    public int warmupMs() {
        return trial.warmupMs();
    }

    public int repMs() {
        return trial.repMs();
    }

    public int reps() {
        return trial.reps();
    }

    /** The trial's private directory (created by the harness, deleted by it afterwards). */
    public Path dir() {
        return trial.dir();
    }

    /** A property a server reported with {@code READY} (such as a TCP port). */
    public String readyProperty(String key) {
        String v = readyProps.get(key);
        if (v == null) {
            throw new IllegalStateException("no READY property " + key + " (have " + readyProps + ")");
        }
        return v;
    }

    /** This producer's share of {@link BenchSystem#maxBytesPerRepetition()}, in messages. */
    public long maxMessagesPerRepetition() {
        if (maxBytesPerRep == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return maxBytesPerRep / size() / Math.max(1, scenario().producers());
    }

    /** Sends control lines to stderr from now on; stdout is this role's data channel. */
    public void controlOnStderr() {
        control = System.err;
    }

    /** Sends control lines to {@code out} (tests). */
    void controlTo(PrintStream out) {
        control = out;
    }

    public void ready() {
        ready(Map.of());
    }

    public void ready(Map<String, String> props) {
        send(ControlLine.ready(props));
    }

    public void result(RepResult result) {
        send(ControlLine.result(result));
    }

    public void error(String message) {
        send(ControlLine.error(message));
    }

    private void send(String line) {
        PrintStream out = control;
        out.println(line);
        out.flush();
    }

    /** Blocks until the harness writes {@code GO} on stdin (clients only). */
    public void awaitGo() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line = in.readLine();
        if (!"GO".equals(line)) {
            throw new IOException("expected GO from the harness on stdin, got " + line);
        }
    }
}
