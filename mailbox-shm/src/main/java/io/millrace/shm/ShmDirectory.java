package io.millrace.shm;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.millrace.shm.RegionDescriptor.HEADER_LENGTH;
import static io.millrace.shm.RegionException.Reason;

/**
 * The base directory that holds region files: by default {@code /dev/shm/millrace-$USER} (mode 0700, files
 * 0600), or the directory named by {@code -Dmillrace.dir} or {@code MILLRACE_DIR}. Every region is one file,
 * {@code <name>.region}, created, attached, inspected and removed here.
 *
 * <p>Attaching refuses, with a {@link RegionException} naming the rule: a file owned by another user or open to
 * group or others, a file that is not a Millrace region (bad magic), a region of another layout version (both
 * versions named), a file shorter than its header says (truncated), a header, directory or ring header holding a
 * value no region can have ({@code CORRUPT}, the field and value named), a region not marked ready in the timeout.
 */
public final class ShmDirectory {
    public static final String DIR_PROPERTY = "millrace.dir";
    public static final String DIR_ENV = "MILLRACE_DIR";

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final long ATTACH_POLL_NANOS = 200_000L;
    static final Duration EMPTY_FILE_GRACE = Duration.ofSeconds(30); // an empty file that old: its creator is dead
    /** Runs in {@link #create} between the creator's registration and the ready mark: a seam for tests. */
    static volatile Runnable beforeReady = () -> { };
    /** This process's effective uid, or -1 when it cannot be read (then files are checked by owner name). */
    private static final long UID = ownUid();

    private final Path path;

    private ShmDirectory(Path path) {
        this.path = path;
    }

    /** The directory from {@code -Dmillrace.dir}, else {@code MILLRACE_DIR}, else {@code /dev/shm/millrace-$USER}. */
    public static ShmDirectory defaultDirectory() {
        return at(defaultPath());
    }

    /** The default base directory's path, without creating or checking it. */
    public static Path defaultPath() {
        String configured = System.getProperty(DIR_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(DIR_ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path shm = Path.of("/dev/shm");
        Path root = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return root.resolve("millrace-" + System.getProperty("user.name"));
    }

    /** The base directory at {@code path}, created with mode 0700 if missing; refused if others may enter it. */
    public static ShmDirectory at(Path path) {
        Objects.requireNonNull(path, "path");
        Path absolute = path.toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(absolute)) {
                Files.createDirectories(absolute, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            }
            checkPrivate(absolute, "base directory", "chmod 700");
        } catch (IOException e) {
            throw new RegionException(Reason.IO, "cannot create base directory " + absolute + ": " + e, e);
        }
        return new ShmDirectory(absolute);
    }

    public Path path() {
        return path;
    }

    /** The file of region {@code name}. */
    public Path file(String name) {
        return path.resolve(Names.region(name) + RegionDescriptor.FILE_SUFFIX);
    }

    /**
     * Creates the region described by {@code spec}, its file's space reserved at once; fails with
     * {@code ALREADY_EXISTS} if its file exists, {@code NO_SPACE} (bytes needed and free named, no file left) if full.
     */
    public SharedRegion create(RegionSpec spec) {
        Objects.requireNonNull(spec, "spec");
        Path file = file(spec.name());
        long size = spec.regionSize();
        FileChannel channel;
        try {
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        } catch (FileAlreadyExistsException e) {
            throw new RegionException(Reason.ALREADY_EXISTS, "region '" + spec.name() + "' already exists at " + file
                    + "; attach to it, or unlink it first (`millrace clean` removes regions of dead processes)");
        } catch (IOException e) {
            throw new RegionException(Reason.IO, "cannot create region file " + file + ": " + e, e);
        }
        Arena arena = Arena.ofShared();
        try (channel) {
            // who creates it, before the slow part (sizing): a creator killed from here on is known to be dead
            writeCreator(channel);
            FileSpace.reserve(spec.name(), file, channel, size);
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            layOut(segment, spec, size);
            // the creator registers before the region is marked ready: `clean` never sees it ready and unused
            SharedRegion region = new SharedRegion(this, spec.name(), file, arena, segment);
            beforeReady.run();
            // Ready: the version goes last, with release, so an attacher that sees it sees everything above.
            INT.setRelease(segment, RegionDescriptor.LAYOUT_VERSION_OFFSET, RegionDescriptor.LAYOUT_VERSION);
            return region;
        } catch (IOException | RuntimeException e) {
            arena.close();
            deleteQuietly(file);
            if (e instanceof ShmException shm) {
                throw shm;
            }
            throw new RegionException(Reason.IO, "cannot map region file " + file + " (" + size + " bytes): " + e, e);
        }
    }

    private static void layOut(MemorySegment segment, RegionSpec spec, long size) {
        ProcessIdentity self = ProcessIdentity.current();
        int participants = spec.participantCapacity();
        List<RegionSpec.Structure> structures = spec.structures();
        LONG.set(segment, RegionDescriptor.MAGIC_OFFSET, RegionDescriptor.MAGIC);
        INT.set(segment, RegionDescriptor.PARTICIPANT_CAPACITY_OFFSET, participants);
        LONG.set(segment, RegionDescriptor.REGION_SIZE_OFFSET, size);
        LONG.set(segment, RegionDescriptor.CREATOR_PID_OFFSET, self.pid());
        LONG.set(segment, RegionDescriptor.CREATOR_START_TIME_OFFSET, self.startTime());
        LONG.set(segment, RegionDescriptor.CREATED_MILLIS_OFFSET, System.currentTimeMillis());
        INT.set(segment, RegionDescriptor.DIRECTORY_COUNT_OFFSET, structures.size());
        long offset = RegionDescriptor.structuresOffset(participants, structures.size());
        for (int i = 0; i < structures.size(); i++) {
            RegionSpec.Structure structure = structures.get(i);
            long entry = RegionDescriptor.entryOffset(participants, i);
            byte[] name = structure.name().getBytes(StandardCharsets.US_ASCII);
            segment.set(ValueLayout.JAVA_BYTE, entry + RegionDescriptor.ENTRY_NAME_OFFSET, (byte) name.length);
            MemorySegment.copy(name, 0, segment, ValueLayout.JAVA_BYTE, entry + RegionDescriptor.ENTRY_NAME_OFFSET + 1,
                    name.length);
            INT.set(segment, entry + RegionDescriptor.ENTRY_KIND_OFFSET, structure.kind().code);
            INT.set(segment, entry + RegionDescriptor.ENTRY_CAPACITY_OFFSET, structure.capacity());
            LONG.set(segment, entry + RegionDescriptor.ENTRY_OFFSET_OFFSET, offset);
            LONG.set(segment, entry + RegionDescriptor.ENTRY_LENGTH_OFFSET, structure.length());
            if (structure.kind().isRing()) {
                INT.set(segment, offset + RingDescriptor.CAPACITY_OFFSET, structure.capacity());
                INT.set(segment, offset + RingDescriptor.MAX_MESSAGE_LENGTH_OFFSET,
                        RingDescriptor.maxMessageLength(structure.capacity()));
                INT.set(segment, offset + RingDescriptor.KIND_OFFSET, structure.kind().code);
                LONG.set(segment, offset + RingDescriptor.CLEANED_OFFSET, // MPSC: a new file's first lap is zero
                        structure.kind() == RegionSpec.Kind.MPSC_RING ? structure.capacity() : 0L);
            }
            offset = RegionDescriptor.align(offset + structure.length(), RegionDescriptor.ALIGNMENT);
        }
    }

    /**
     * Creates the region described by {@code spec}, or attaches to it when another process created it first: for
     * regions that every process of a group shares and any one of them may be first to need. An existing region is
     * taken as it is: its structures are those of whoever created it (check them with
     * {@link SharedRegion#structures()} if they may differ).
     */
    public SharedRegion createOrAttach(RegionSpec spec, Duration timeout) {
        Objects.requireNonNull(spec, "spec");
        long deadline = System.nanoTime() + Ring.checkTimeout(timeout);
        while (true) {
            try {
                return create(spec);
            } catch (RegionException e) {
                if (e.reason() != Reason.ALREADY_EXISTS) {
                    throw e;
                }
            }
            try {
                return attach(spec.name(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (RegionException e) {
                if (e.reason() != Reason.MISSING || System.nanoTime() - deadline >= 0) {
                    throw e; // MISSING: the file was removed between our create and attach; try again
                }
            }
        }
    }

    /**
     * Attaches to region {@code name}, waiting up to {@code timeout} for its file to appear and for its creator
     * to mark it ready. {@code Duration.ZERO} does not wait.
     */
    public SharedRegion attach(String name, Duration timeout) {
        Path file = file(name);
        long deadline = System.nanoTime() + Ring.checkTimeout(timeout);
        FileChannel channel = openWhenPresent(name, file, deadline);
        Arena arena = Arena.ofShared();
        try (channel) {
            checkPrivate(file, "region file", "chmod 600");
            long size = awaitReady(name, file, channel, deadline, timeout);
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
            int ignored = (int) INT.getAcquire(segment, RegionDescriptor.LAYOUT_VERSION_OFFSET);
            return new SharedRegion(this, name, file, arena, segment);
        } catch (IOException | RuntimeException e) {
            arena.close();
            if (e instanceof ShmException shm) {
                throw shm;
            }
            throw new RegionException(Reason.IO, "cannot attach region file " + file + ": " + e, e);
        }
    }

    private static FileChannel openWhenPresent(String name, Path file, long deadline) {
        while (true) {
            try {
                return FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new RegionException(Reason.MISSING, "no region '" + name + "': " + file
                            + " does not exist (nothing created it" + " before the attach timeout)");
                }
                LockSupport.parkNanos(ATTACH_POLL_NANOS);
            } catch (IOException e) {
                throw new RegionException(Reason.IO, "cannot open region file " + file + ": " + e, e);
            }
        }
    }

    /** Waits until the header says ready, checks magic, version and size; returns the region size. */
    private static long awaitReady(String name, Path file, FileChannel channel, long deadline, Duration timeout)
            throws IOException {
        ByteBuffer header = ByteBuffer.allocate((int) HEADER_LENGTH).order(ByteOrder.nativeOrder());
        while (true) {
            long fileSize = channel.size();
            header.clear();
            int read = Math.max(0, channel.read(header, 0));
            long magic = read >= 8 ? header.getLong((int) RegionDescriptor.MAGIC_OFFSET) : 0;
            if (magic != 0 && magic != RegionDescriptor.MAGIC) {
                throw new RegionException(Reason.FOREIGN_FILE, file + " is not a Millrace region: magic=0x"
                        + Long.toHexString(magic) + ", expected=0x" + Long.toHexString(RegionDescriptor.MAGIC));
            }
            int version = read >= HEADER_LENGTH ? header.getInt((int) RegionDescriptor.LAYOUT_VERSION_OFFSET) : 0;
            if (version != 0) {
                if (version != RegionDescriptor.LAYOUT_VERSION) {
                    throw new RegionException(Reason.VERSION_MISMATCH, "region '" + name + "' has layout version "
                            + version + ", this library reads version " + RegionDescriptor.LAYOUT_VERSION
                            + " (expected=" + RegionDescriptor.LAYOUT_VERSION + " found=" + version
                            + "): attach with the Millrace version that created it");
                }
                long regionSize = header.getLong((int) RegionDescriptor.REGION_SIZE_OFFSET);
                if ((fileSize = channel.size()) < regionSize) { // read again: the first may predate the ready version
                    throw new RegionException(Reason.TRUNCATED, "region '" + name + "' is truncated: " + file
                            + " has " + fileSize + " bytes, its header records " + regionSize);
                }
                return RegionValidator.checkHeader(name,
                        header.getInt((int) RegionDescriptor.PARTICIPANT_CAPACITY_OFFSET),
                        header.getInt((int) RegionDescriptor.DIRECTORY_COUNT_OFFSET), regionSize, fileSize);
            }
            if (System.nanoTime() - deadline >= 0) {
                if (fileSize < HEADER_LENGTH) {
                    throw new RegionException(Reason.TOO_SMALL, file + " has " + fileSize
                            + " bytes, fewer than a region header (" + HEADER_LENGTH + "): not a region, or its"
                            + " creator died before writing its header (`millrace clean` removes it once empty for "
                            + EMPTY_FILE_GRACE.toSeconds() + " s)");
                }
                throw new RegionException(Reason.ATTACH_TIMEOUT, "region '" + name + "' is not marked ready "
                        + "(waited " + timeout + "; creator pid " + header.getLong(
                        (int) RegionDescriptor.CREATOR_PID_OFFSET) + "); it may have died while creating it");
            }
            LockSupport.parkNanos(ATTACH_POLL_NANOS);
        }
    }

    /** Refuses a file or directory that is not ours alone. */
    private static void checkPrivate(Path target, String what, String fix) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(target, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (UID >= 0) {
            int owner = (int) Files.getAttribute(target, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if ((owner & 0xFFFF_FFFFL) != UID) {
                throw new RegionException(Reason.PERMISSIONS, what + " " + target + " belongs to user '"
                        + attributes.owner().getName() + "' (uid=" + owner + "), not to this process's uid=" + UID
                        + "; Millrace uses only files of the current user");
            }
        } else {
            String me = System.getProperty("user.name");
            String owner = attributes.owner().getName();
            if (!owner.equals(me)) {
                throw new RegionException(Reason.PERMISSIONS, what + " " + target + " belongs to user '" + owner
                        + "', not to '" + me + "'; Millrace uses only files of the current user");
            }
        }
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(attributes.permissions());
        open.retainAll(GROUP_OR_OTHERS);
        if (!open.isEmpty()) {
            throw new RegionException(Reason.PERMISSIONS, what + " " + target + " is open to group or others ("
                    + PosixFilePermissions.toString(attributes.permissions()) + "); " + fix + " it");
        }
    }

    /**
     * The effective uid of this process, from the {@code Uid:} line of {@code /proc/self/status} (real, effective,
     * saved, filesystem); -1 where there is no such file. Compared with a file's {@code unix:uid}, not by user
     * name: a uid without a passwd entry has no name to compare.
     */
    private static long ownUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back to names
        }
        return -1;
    }

    /** True when a file for region {@code name} exists. */
    public boolean exists(String name) {
        return Files.exists(file(name), LinkOption.NOFOLLOW_LINKS);
    }

    /** Removes region {@code name}'s file; false if there was none. Mapped copies stay valid until closed. */
    public boolean unlink(String name) {
        try {
            return Files.deleteIfExists(file(name));
        } catch (IOException e) {
            throw new RegionException(Reason.IO, "cannot remove " + file(name) + ": " + e, e);
        }
    }

    /** Names of the region files here, sorted. */
    public List<String> list() {
        try (Stream<Path> files = Files.list(path)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(RegionDescriptor.FILE_SUFFIX))
                    .map(f -> f.substring(0, f.length() - RegionDescriptor.FILE_SUFFIX.length()))
                    .sorted().toList();
        } catch (IOException e) {
            throw new RegionException(Reason.IO, "cannot list " + path + ": " + e, e);
        }
    }

    /**
     * Reads block {@code blockName} of region {@code name} without attaching, as {@link #inspect(String)} does: the
     * block is mapped read-only for the call of {@code reader} only.
     *
     * @param name      the region
     * @param blockName the block
     * @param reader    reads the block's bytes (valid during the call only)
     * @param <T>       what the reader makes of them
     * @return the reader's result, or empty when the region has no such block
     * @throws RegionException for files that are not ready or not valid regions
     */
    public <T> Optional<T> inspectBlock(String name, String blockName, Function<MemorySegment, T> reader) {
        Objects.requireNonNull(blockName, "blockName");
        Objects.requireNonNull(reader, "reader");
        return readOnly(name, (file, size, segment) -> {
            SharedRegion.Entry entry = RegionValidator.readDirectory(name, segment).get(blockName);
            if (entry == null || entry.kind() != RegionSpec.Kind.BLOCK) {
                return Optional.empty();
            }
            return Optional.ofNullable(reader.apply(segment.asSlice(entry.offset(), entry.capacity())));
        });
    }

    /** Reads region {@code name} without attaching (read-only, registering and waiting for nothing); throws
     * {@link RegionException} for files that are not ready or not valid regions. */
    public RegionSnapshot inspect(String name) {
        return readOnly(name, (file, size, segment) -> snapshot(name, file, size, segment));
    }

    /**
     * Copies block {@code block} of region {@code name} without attaching, as {@link #inspect} reads a region.
     *
     * @param name  the region
     * @param block the block's name
     * @return a copy of the block's bytes
     * @throws RegionException as {@link #inspect}, or {@code NO_SUCH_STRUCTURE} if the region has no such block
     */
    public byte[] inspectBlock(String name, String block) {
        Objects.requireNonNull(block, "block");
        return inspectBlock(name, block, segment -> segment.toArray(ValueLayout.JAVA_BYTE)).orElseThrow(
                () -> new RegionException(Reason.NO_SUCH_STRUCTURE, "region '" + name + "' has no block '" + block
                        + "'"));
    }

    private interface ReadOnly<R> {
        R read(Path file, long size, MemorySegment segment);
    }

    /** Maps region {@code name} read-only once it is ready (waiting for nothing) and reads it. */
    private <R> R readOnly(String name, ReadOnly<R> reader) {
        Path file = file(name);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             Arena arena = Arena.ofConfined()) {
            long size = awaitReady(name, file, channel, System.nanoTime(), Duration.ZERO);
            MemorySegment segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            int ignored = (int) INT.getAcquire(segment, RegionDescriptor.LAYOUT_VERSION_OFFSET);
            return reader.read(file, size, segment);
        } catch (NoSuchFileException e) {
            throw new RegionException(Reason.MISSING, "no region '" + name + "': " + file + " does not exist");
        } catch (IOException e) {
            throw new RegionException(Reason.IO, "cannot read region file " + file + ": " + e, e);
        }
    }

    private static RegionSnapshot snapshot(String name, Path file, long size, MemorySegment segment) {
        Participants participants = new Participants(segment,
                (int) INT.get(segment, RegionDescriptor.PARTICIPANT_CAPACITY_OFFSET));
        List<RingStats> rings = new ArrayList<>();
        Map<String, Long> atomics = new LinkedHashMap<>();
        for (SharedRegion.Entry entry : RegionValidator.readDirectory(name, segment).values()) {
            switch (entry.kind()) {
                case SPSC_RING, MPSC_RING ->
                        rings.add(RingStats.read(entry.name(), entry.kind(), segment, entry.offset(), participants));
                case ATOMIC_LONG -> atomics.put(entry.name(), (long) LONG.getVolatile(segment, entry.offset()));
                case ATOMIC_INT -> atomics.put(entry.name(), (long) (int) INT.getVolatile(segment, entry.offset()));
                case BLOCK -> { }
                case null -> { }
            }
        }
        long creatorPid = (long) LONG.get(segment, RegionDescriptor.CREATOR_PID_OFFSET);
        long creatorStart = (long) LONG.get(segment, RegionDescriptor.CREATOR_START_TIME_OFFSET);
        return new RegionSnapshot(name, file, size, RegionDescriptor.LAYOUT_VERSION, creatorPid,
                ProcessIdentity.isAlive(creatorPid, creatorStart),
                (long) LONG.get(segment, RegionDescriptor.CREATED_MILLIS_OFFSET),
                participants.snapshot(), rings, atomics);
    }

    /**
     * Decides, for every region file here, whether {@link #clean()} would remove it: a ready region when none of
     * its participants is alive (each one died or detached); a region never marked ready when its creator is
     * dead; an empty file left unmodified for 30 s (its creator killed before writing the header). Files that are
     * not Millrace regions, are corrupt or cannot be read are kept, the reason saying why; one such file does not
     * stop the others from being judged. Changes nothing.
     */
    public List<CleanDecision> cleanPlan() {
        List<CleanDecision> plan = new ArrayList<>();
        for (String name : list()) {
            plan.add(decide(name));
        }
        return plan;
    }

    /**
     * Removes the regions that no live process uses, as {@link #cleanPlan()} decides, and nothing else. Returns
     * the decision for every region file; those whose {@code remove()} is true were removed.
     *
     * <p>A process that attaches between the decision and the removal keeps its mapping, but the region is gone
     * for everyone else: run it when the processes that may attach are known to be gone, as an ops tool.
     */
    public List<CleanDecision> clean() {
        List<CleanDecision> result = new ArrayList<>();
        for (CleanDecision decision : cleanPlan()) {
            boolean removed = decision.remove() && unlink(decision.name());
            result.add(removed == decision.remove() ? decision
                    : new CleanDecision(decision.name(), false, "already gone"));
        }
        return result;
    }

    private CleanDecision decide(String name) {
        RegionSnapshot snapshot;
        try {
            snapshot = inspect(name);
        } catch (RegionException e) {
            if (e.reason() == Reason.TOO_SMALL && emptySince(file(name), EMPTY_FILE_GRACE)) {
                return new CleanDecision(name, true, "empty " + EMPTY_FILE_GRACE.toSeconds() + " s: creator killed");
            }
            if (e.reason() != Reason.ATTACH_TIMEOUT) {
                return new CleanDecision(name, false, "not a readable Millrace region (" + e.reason()
                        + "), left alone: " + e.getMessage());
            }
            long[] creator = creator(file(name));
            boolean alive = creator == null || ProcessIdentity.isAlive(creator[0], creator[1]);
            return new CleanDecision(name, !alive, creator == null ? "not marked ready; its creator is unknown"
                    : "not marked ready; its creator pid " + creator[0] + (alive ? " is alive" : " is dead"));
        } catch (RuntimeException e) {
            return new CleanDecision(name, false, "cannot judge it, left alone: " + e);
        }
        List<ParticipantInfo> participants = snapshot.participants();
        List<Long> alive = participants.stream().filter(ParticipantInfo::alive).map(ParticipantInfo::pid).toList();
        if (!alive.isEmpty()) {
            return new CleanDecision(name, false, "in use by live " + pids(alive));
        }
        return new CleanDecision(name, true, participants.isEmpty() ? "no process attached"
                : "no live process; " + pids(participants.stream().map(ParticipantInfo::pid).toList()) + " dead");
    }

    /** {@return whether {@code file} is empty and untouched for {@code grace}}: a creator's killed before its header */
    private static boolean emptySince(Path file, Duration grace) {
        try {
            return Files.size(file) == 0 && Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis()
                    <= System.currentTimeMillis() - grace.toMillis();
        } catch (IOException e) {
            return false;
        }
    }

    private static String pids(List<Long> pids) {
        StringBuilder text = new StringBuilder(pids.size() == 1 ? "pid " : "pids ");
        for (int i = 0; i < pids.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(pids.get(i));
        }
        return text.toString();
    }

    /** Writes the magic and this process's identity, as the header a creator killed while sizing the file leaves. */
    private static void writeCreator(FileChannel channel) throws IOException {
        ProcessIdentity self = ProcessIdentity.current();
        ByteBuffer header = ByteBuffer.allocate((int) HEADER_LENGTH).order(ByteOrder.nativeOrder());
        header.putLong((int) RegionDescriptor.MAGIC_OFFSET, RegionDescriptor.MAGIC);
        header.putLong((int) RegionDescriptor.CREATOR_PID_OFFSET, self.pid());
        header.putLong((int) RegionDescriptor.CREATOR_START_TIME_OFFSET, self.startTime());
        while (header.hasRemaining()) {
            channel.write(header, header.position());
        }
    }

    /**
     * Whether region {@code name} was never marked ready and its recorded creator is dead (killed laying it out).
     * False for a file whose creator is not recorded yet (one just created; {@link #cleanPlan()} removes it once
     * it stayed empty for 30 s), a ready region, a missing file.
     *
     * @param name the region
     * @return true when the region can only be garbage
     */
    public boolean isAbandonedUnready(String name) {
        ByteBuffer header = header(file(name));
        if (header == null || header.getLong((int) RegionDescriptor.MAGIC_OFFSET) != RegionDescriptor.MAGIC
                || header.getInt((int) RegionDescriptor.LAYOUT_VERSION_OFFSET) != 0) {
            return false;
        }
        long pid = header.getLong((int) RegionDescriptor.CREATOR_PID_OFFSET);
        long startTime = header.getLong((int) RegionDescriptor.CREATOR_START_TIME_OFFSET);
        return pid > 0 && !ProcessIdentity.isAlive(pid, startTime);
    }

    /** The creator's pid and start time from a region file's header, or null when it cannot be read. */
    private static long[] creator(Path file) {
        ByteBuffer header = header(file);
        return header == null ? null : new long[] {header.getLong((int) RegionDescriptor.CREATOR_PID_OFFSET),
                header.getLong((int) RegionDescriptor.CREATOR_START_TIME_OFFSET)};
    }

    /** A region file's first {@link #HEADER_LENGTH} bytes, or null when they cannot be read. */
    private static ByteBuffer header(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer header = ByteBuffer.allocate((int) HEADER_LENGTH).order(ByteOrder.nativeOrder());
            return channel.read(header, 0) < HEADER_LENGTH ? null : header;
        } catch (IOException e) {
            return null;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort while already failing
        }
    }

    @Override
    public String toString() {
        return "ShmDirectory[" + path + "]";
    }
}
