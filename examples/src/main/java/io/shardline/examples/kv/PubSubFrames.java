package io.shardline.examples.kv;

import io.shardline.examples.kv.resp.RespWriter;
import java.nio.charset.StandardCharsets;

/**
 * The frames of pub/sub: a message as pushed to subscribers (encoded once per protocol, however many
 * subscribers get it), and the (un)subscribe confirmations. RESP2 sends them as arrays, RESP3 as push
 * frames ({@code >}). One instance per delivery, on the delivering shard's thread; the static writers
 * are stateless.
 */
final class PubSubFrames {
    private final byte[] kind;
    private final byte[] pattern;
    private final byte[] channel;
    private final byte[] message;
    private byte[] resp2;
    private byte[] resp3;

    /** A {@code message}/{@code smessage} frame, or with {@code pattern} a {@code pmessage} one. */
    PubSubFrames(byte[] kind, byte[] pattern, byte[] channel, byte[] message) {
        this.kind = kind;
        this.pattern = pattern;
        this.channel = channel;
        this.message = message;
    }

    byte[] frame(int protocol) {
        if (protocol == 3) {
            return resp3 != null ? resp3 : (resp3 = encode(3));
        }
        return resp2 != null ? resp2 : (resp2 = encode(2));
    }

    private byte[] encode(int protocol) {
        RespWriter out = RespWriter.forReply(protocol);
        pushHeader(out, pattern == null ? 3 : 4);
        out.bulk(kind);
        if (pattern != null) {
            out.bulk(pattern);
        }
        out.bulk(channel);
        out.bulk(message);
        return out.toByteArray();
    }

    /** A push header in RESP3, an array header in RESP2, as Redis' addReplyPushLen. */
    static void pushHeader(RespWriter out, int count) {
        if (out.protocol() == 3) {
            out.raw((">" + count + "\r\n").getBytes(StandardCharsets.US_ASCII));
        } else {
            out.arrayHeader(count);
        }
    }

    /** A (p|s)(un)subscribe confirmation: the word, the name (null when there was nothing to leave), the count. */
    static void confirmation(RespWriter out, byte[] word, byte[] name, long count) {
        pushHeader(out, 3);
        out.bulk(word);
        if (name == null) {
            out.nullBulk();
        } else {
            out.bulk(name);
        }
        out.integer(count);
    }
}
