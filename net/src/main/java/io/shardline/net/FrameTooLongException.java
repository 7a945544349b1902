package io.shardline.net;

import java.io.IOException;

/** A frame's declared or found length is over the decoder's limit; the stream cannot be trusted. Immutable. */
public final class FrameTooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    public FrameTooLongException(String message) {
        super(message);
    }
}
