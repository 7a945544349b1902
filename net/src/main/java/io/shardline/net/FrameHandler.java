package io.shardline.net;

import java.nio.ByteBuffer;

/** Receives whole frames from a decoder, on the decoder's loop; {@code frame} is valid during the call only. */
@FunctionalInterface
public interface FrameHandler {
    void onFrame(ByteBuffer frame);
}
