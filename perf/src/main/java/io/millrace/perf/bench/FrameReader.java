package io.millrace.perf.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads a byte stream of fixed-size messages (pipes, sockets): each read takes whatever the channel has, up to
 * a large buffer, and hands the header of every complete message to a {@link StreamMeter}; a partial message
 * stays for the next read.
 */
public final class FrameReader {

    private final int size;
    private final ByteBuffer buffer;

    public FrameReader(int size) {
        this.size = size;
        this.buffer = ByteBuffer.allocateDirect(Math.max(256 * 1024, 4 * size)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * One read; returns the bytes read: 0 when a non-blocking channel had none, -1 at the end of the stream
     * (the writer closed it; an incomplete message left over is an error).
     */
    public int readFrom(ReadableByteChannel channel, StreamMeter meter) throws IOException {
        int n = channel.read(buffer);
        if (n < 0) {
            if (buffer.position() != 0) {
                throw new EOFException("stream ended inside a message (" + buffer.position() + " bytes of " + size + ")");
            }
            return -1;
        }
        if (n > 0) {
            buffer.flip();
            int pos = buffer.position();
            while (buffer.limit() - pos >= size) {
                meter.onHeader(buffer.getLong(pos));
                pos += size;
            }
            buffer.position(pos);
            buffer.compact();
        }
        return n;
    }
}
