package io.millrace.actors.codec;

/**
 * Agrees on small integer ids for class names between the processes that exchange messages, so that the wire
 * carries an id instead of a name. Ids are 0 or more; a name may get more than one id (when two processes register it
 * at once, or an unfinished registration is abandoned), and every id of a name decodes to the same class.
 * Implementations are thread-safe.
 */
public interface TypeRegistry {

    /**
     * The id of {@code className}, registering it if it has none.
     *
     * @param className a binary class name, as {@link Class#getName()}
     * @return its id, 0 or more
     * @throws TypeTableFullException if a new id is needed and the table has no room
     * @throws CodecException         if the table cannot be read in time
     */
    int idOf(String className);

    /**
     * The class name registered under {@code id}.
     *
     * @param id an id from {@link #idOf} in this or another process
     * @return the class name
     * @throws CodecException if no name is registered under {@code id} (a corrupt or foreign record)
     */
    String nameOf(int id);

    /** @return a registry in this process's memory only: for tests and for messages that never leave the JVM */
    static TypeRegistry inMemory() {
        return new InMemoryTypeRegistry();
    }
}
