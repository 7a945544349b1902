package io.shardline.core;

import java.util.concurrent.RejectedExecutionException;

/**
 * Thrown to a submitter, and used to fail pending futures, when a loop has closed. Immutable.
 */
public final class LoopClosedException extends RejectedExecutionException {
    private static final long serialVersionUID = 1L;

    public LoopClosedException(String message) {
        super(message);
    }
}
