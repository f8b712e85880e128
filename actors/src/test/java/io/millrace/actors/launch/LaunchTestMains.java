package io.millrace.actors.launch;

import java.util.concurrent.CountDownLatch;

/** Main classes that {@link ChildJvmTest} runs in child JVMs. */
public final class LaunchTestMains {
    private LaunchTestMains() {
    }

    /** Prints a line to each stream, then exits with the code given. */
    public static final class Exiting {
        public static void main(String[] args) {
            System.out.println("hello from " + ProcessHandle.current().pid());
            System.err.println("an error line");
            System.exit(Integer.parseInt(args[0]));
        }
    }

    /** Says READY and waits for ever (until killed or orphaned). */
    public static final class Waiting {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("READY");
            new CountDownLatch(1).await();
        }
    }

    /** Starts a {@link Waiting} grandchild, prints its pid, and waits for ever. */
    public static final class Parent {
        public static void main(String[] args) throws InterruptedException {
            ChildJvm grandchild = ChildJvm.start(ChildJvmSpec.of("grandchild", Waiting.class.getName()));
            System.out.println("GRANDCHILD " + grandchild.pid());
            new CountDownLatch(1).await();
        }
    }
}
