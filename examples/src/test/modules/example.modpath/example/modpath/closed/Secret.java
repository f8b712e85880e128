package example.modpath.closed;

/**
 * A record of a package the module neither exports nor opens: the codec must refuse it, naming the directive to add.
 *
 * @param text anything
 */
public record Secret(String text) {

    /** A main that ChildMain, the bootstrap of every child JVM, cannot call: its package is not exported. */
    public static void main(String[] args) {
        System.out.println("unreachable");
    }
}
