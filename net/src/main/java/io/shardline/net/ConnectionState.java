package io.shardline.net;

/**
 * Where a connection is in its life, one value instead of a flag per event; immutable, and held and
 * changed only by the connection's loop. Every transport's connections move through the same states.
 *
 * <pre>
 *            shutdownOutput            drained, FIN sent
 *   OPEN ───────────────────▶ OUTPUT_SHUTTING ─────────▶ OUTPUT_SHUT
 *    │ peer's FIN                    │ peer's FIN               │ peer's FIN
 *    ▼       shutdownOutput          ▼        drained           ▼
 *   INPUT_CLOSED ──────────▶ INPUT_CLOSED_OUTPUT_SHUTTING ───▶ BOTH_SHUT
 *
 *   any of these ── close() ──▶ CLOSING ── drained ──▶ CLOSED;  anything ── abort, error ──▶ CLOSED
 * </pre>
 *
 * A transition that the current state does not allow throws {@link IllegalStateException}: the
 * connection asks first ({@link #readsInput()}, {@link #acceptsWrites()}, {@link #isOpen()}) and a
 * stray event (a receive completing after {@code close()}) is dropped rather than applied.
 */
enum ConnectionState {
    /** Both directions open. */
    OPEN,
    /** The peer shut its output (its FIN arrived); this side may still write. */
    INPUT_CLOSED,
    /** {@code shutdownOutput()}: the queued bytes go out, then this side's FIN; reading goes on. */
    OUTPUT_SHUTTING,
    /** This side's output is shut; reading goes on. */
    OUTPUT_SHUT,
    /** The peer's FIN arrived, and this side's FIN goes out after the queued bytes. */
    INPUT_CLOSED_OUTPUT_SHUTTING,
    /** Both directions have ended; the socket stays open until {@code close()}. */
    BOTH_SHUT,
    /** {@code close()}: the queued bytes go out, then the socket closes; nothing more is read or written. */
    CLOSING,
    /** The socket is closed and its resources released. */
    CLOSED;

    /** Whether bytes from the peer are still wanted. */
    boolean readsInput() {
        return this == OPEN || this == OUTPUT_SHUTTING || this == OUTPUT_SHUT;
    }

    /** Whether {@code write} may queue bytes. */
    boolean acceptsWrites() {
        return this == OPEN || this == INPUT_CLOSED;
    }

    /** Whether this side's FIN is due once the queue has drained. */
    boolean shutsOutputWhenDrained() {
        return this == OUTPUT_SHUTTING || this == INPUT_CLOSED_OUTPUT_SHUTTING;
    }

    /** Whether the socket closes once the queue has drained. */
    boolean closesWhenDrained() {
        return this == CLOSING;
    }

    boolean isOpen() {
        return this != CLOSED;
    }

    /** The peer's FIN arrived (a read returned end of stream). */
    ConnectionState inputEnded() {
        return switch (this) {
            case OPEN -> INPUT_CLOSED;
            case OUTPUT_SHUTTING -> INPUT_CLOSED_OUTPUT_SHUTTING;
            case OUTPUT_SHUT -> BOTH_SHUT;
            default -> throw illegal("the input end");
        };
    }

    /** {@code shutdownOutput()} was asked for. */
    ConnectionState outputShutdownRequested() {
        return switch (this) {
            case OPEN -> OUTPUT_SHUTTING;
            case INPUT_CLOSED -> INPUT_CLOSED_OUTPUT_SHUTTING;
            default -> throw illegal("an output shutdown");
        };
    }

    /** This side's FIN went out. */
    ConnectionState outputShut() {
        return switch (this) {
            case OUTPUT_SHUTTING -> OUTPUT_SHUT;
            case INPUT_CLOSED_OUTPUT_SHUTTING -> BOTH_SHUT;
            default -> throw illegal("the output's shutdown");
        };
    }

    /** {@code close()} was asked for: a graceful close after the queued bytes. */
    ConnectionState closeRequested() {
        if (this == CLOSING || this == CLOSED) {
            throw illegal("a close request");
        }
        return CLOSING;
    }

    /** The socket was closed: gracefully, by an abort or by an error. */
    ConnectionState closed() {
        if (this == CLOSED) {
            throw illegal("a close");
        }
        return CLOSED;
    }

    private IllegalStateException illegal(String event) {
        return new IllegalStateException(event + " is not allowed in connection state " + this);
    }
}
