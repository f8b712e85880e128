package io.millrace.actors.codec;

import io.millrace.actors.ActorPath;
import io.millrace.actors.ActorRef;

/** An {@link ActorRef}, as its {@link ActorPath}; the codec's resolver turns the path back into a ref. */
final class ActorRefPlan extends ValuePlan {
    private final MessageCodec codec;

    ActorRefPlan(MessageCodec codec) {
        super(ActorRef.class, Wire.ACTOR_REF);
        this.codec = codec;
    }

    private static ActorPath pathOf(Object value) {
        ActorPath path = ((ActorRef<?>) value).path();
        if (path == null) {
            throw new CodecException("ActorRef " + value.getClass().getName() + " has path=null");
        }
        return path;
    }

    @Override
    int size(Object value, int depth) {
        ActorPath path = pathOf(value);
        return Wire.stringSize(path.system()) + 8 + Wire.stringSize(path.path()) + 8;
    }

    @Override
    void write(Object value, Writer writer) {
        ActorPath path = pathOf(value);
        writer.writeString(path.system());
        writer.writeLong(path.node());
        writer.writeString(path.path());
        writer.writeLong(path.uid());
    }

    @Override
    Object read(Reader reader) {
        long at = reader.offset();
        String system = reader.readString();
        long node = reader.readLong();
        String path = reader.readString();
        long uid = reader.readLong();
        ActorPath actorPath;
        try {
            actorPath = new ActorPath(system, node, path, uid);
        } catch (IllegalArgumentException e) {
            throw new CodecException("corrupt message at offset=" + at + ": not an actor path: " + e.getMessage());
        }
        return codec.resolve(actorPath);
    }
}
