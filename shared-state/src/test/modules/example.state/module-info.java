/**
 * A user's module on the module path, compiled and run by StateModulePathTest: what a module that shares structs and
 * a map declares. Its package is not exported: it is opened to io.millrace.state (the flyweight implements its
 * struct interface; snapshots build its record) and to io.millrace.actors (the codec carries its map keys).
 */
module example.state {
    requires io.millrace.state;

    opens example.state to io.millrace.state, io.millrace.actors;
}
