package io.shardline.perf;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What the {@code http} suite's servers answer, as TechEmpower's plaintext and JSON tests define it:
 * {@code GET /plaintext} gives {@value #PLAINTEXT} as {@code text/plain}, {@code GET /json} gives
 * {@code {"message":"Hello, World!"}} as {@code application/json}, serialized for each request (the
 * rules forbid caching it), both with {@code Server} and {@code Date} fields. Stateless, any thread.
 *
 * <p>The Shardline and Netty servers serialize with jackson-core's streaming generator here; the
 * Vert.x server with its own {@code JsonObject}, which is Jackson underneath, as its users write it.
 */
final class Hello {
    static final String PLAINTEXT_PATH = "/plaintext";
    static final String JSON_PATH = "/json";
    static final String PLAINTEXT = "Hello, World!";
    static final byte[] PLAINTEXT_BYTES = PLAINTEXT.getBytes(StandardCharsets.US_ASCII);
    static final String TEXT_PLAIN = "text/plain";
    static final String APPLICATION_JSON = "application/json";
    static final String MESSAGE_FIELD = "message";
    /** The JSON test's body, for checking a server's answer. */
    static final String JSON = "{\"message\":\"Hello, World!\"}";

    private static final JsonFactory JSON_FACTORY = new JsonFactory();

    private Hello() {
    }

    /** {@code {"message":"Hello, World!"}}, serialized anew. */
    static byte[] json() {
        try (ByteArrayBuilder bytes = new ByteArrayBuilder(32);
             JsonGenerator g = JSON_FACTORY.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField(MESSAGE_FIELD, PLAINTEXT);
            g.writeEndObject();
            g.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot happen: writing to memory", e);
        }
    }
}
