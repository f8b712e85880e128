package io.millrace.shm;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link RingChild} processes of a test, on the base directory of its {@link ShmTestDirectory}, and the regions
 * it {@link #own}s: after the test every region is closed and unlinked and every child reaped (register this after
 * the directory, so that it runs first).
 */
final class RingChildren implements AfterEachCallback {
    private final ShmTestDirectory shm;
    private final List<ChildJvm> children = new ArrayList<>();
    private final List<SharedRegion> regions = new ArrayList<>();

    RingChildren(ShmTestDirectory shm) {
        this.shm = shm;
    }

    /** Starts a child in {@code mode} with the role's further {@code args} (see {@link RingChild#main}). */
    ChildJvm start(String mode, String... args) {
        String[] full = new String[args.length + 2];
        full[0] = mode;
        full[1] = shm.path().toString();
        System.arraycopy(args, 0, full, 2, args.length);
        ChildJvm child = ChildJvm.start(RingChild.class, full);
        children.add(child);
        return child;
    }

    /** Adds a child started otherwise, to be reaped. */
    ChildJvm add(ChildJvm child) {
        children.add(child);
        return child;
    }

    /** Returns {@code region}, to be closed and unlinked after the test. */
    SharedRegion own(SharedRegion region) {
        regions.add(region);
        return region;
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        for (SharedRegion region : regions) {
            region.close();
            region.unlink();
        }
        regions.clear();
        for (ChildJvm child : children) {
            child.close();
        }
        children.clear();
    }
}
