package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** With a password, a client that has not authenticated is held to Redis 7's small request limits. */
class KvAuthLimitsTest {

    private static String send(KvServer kv, byte[]... requests) throws Exception {
        try (Socket s = new Socket("127.0.0.1", kv.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            for (byte[] r : requests) {
                out.write(r);
            }
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8); // until the server closes
        }
    }

    @Test
    void beforeAuthElevenArgumentsOrA16KiBBulkAreProtocolErrorsAfterAuthTheyAreFine() throws Exception {
        try (KvServer kv = KvServer.start(KvConfig.inMemory(2).withRequirePass("secret"))) {
            String[] mset = new String[11];
            mset[0] = "MSET";
            for (int i = 1; i < 11; i++) {
                mset[i] = "k" + i;
            }
            assertEquals("-ERR Protocol error: unauthenticated multibulk length\r\n", send(kv, RawResp.encode(mset)));
            String big = "x".repeat(16385);
            assertEquals("-ERR Protocol error: unauthenticated bulk length\r\n", send(kv, RawResp.encode("ECHO", big)));
            assertEquals("+OK\r\n+OK\r\n$16385\r\n" + big + "\r\n+OK\r\n",
                    send(kv, RawResp.encode("AUTH", "secret"), RawResp.encode(mset), RawResp.encode("ECHO", big),
                            RawResp.encode("QUIT")));
        }
        // without a password nobody is unauthenticated
        try (KvServer kv = KvServer.start(KvConfig.inMemory(1))) {
            String big = "y".repeat(20000);
            assertEquals("$20000\r\n" + big + "\r\n+OK\r\n", send(kv, RawResp.encode("ECHO", big), RawResp.encode("QUIT")));
        }
    }
}
