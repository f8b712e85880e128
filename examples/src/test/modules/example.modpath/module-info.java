/**
 * A user's module on the module path, compiled and run by ModulePathTest: what a module that uses Millrace declares.
 * Its package example.modpath is not exported but opened to io.millrace.actors, whose codec builds the message
 * records through a private lookup (a public record of an exported package would need no opens); shipped lambdas
 * need nothing. The package example.modpath.closed is neither exported nor opened: Millrace must refuse its record
 * and its main, naming the directive to add.
 */
module example.modpath {
    requires io.millrace.reactive;
    requires io.millrace.generators; // PoolApp

    opens example.modpath to io.millrace.actors;
}
