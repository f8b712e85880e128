/**
 * Millrace's shared state across processes: live typed structs ({@code StructType}, {@code StructArray}), a
 * crash-safe hash map ({@code SharedMap}) and transactions ({@code Transactions}), in mailbox-shm regions.
 *
 * <p>A user module opens the package of its struct interfaces (and of their snapshot records, or of a record given
 * to {@code StructType.ofRecord}) to this module: {@code opens com.example.app to io.millrace.state;} (the
 * flyweights are hidden classes of this module that implement the interface, and snapshots call the record's
 * canonical constructor through a private lookup). Map keys and values that are records go through the actors'
 * codec: {@code opens com.example.app to io.millrace.actors;}. Native access: as the actors',
 * {@code --enable-native-access=io.millrace.shm,io.millrace.actors}; this module makes no restricted call.
 */
module io.millrace.state {
    requires transitive io.millrace.shm;
    requires transitive io.millrace.actors;

    exports io.millrace.state;
}
