package io.shardline.examples.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pub/sub frames byte for byte against a real redis-server: a subscriber and a publisher run the same
 * script on both servers (on the KV server they live on different shards), and every frame each reads
 * must match, RESP2 arrays and RESP3 pushes, confirmations, messages and errors.
 */
class RedisPubSubDifferentialTest {
    @RegisterExtension
    static final RedisPair.Fixture fixture = new RedisPair.Fixture();

    /**
     * Runs {@code script} with a subscriber S and a publisher P. Each step is
     * {@code "<S|P> command ; <S|P><n> ..."}: who sends the command, then how many frames to read from whom.
     * A step starting with {@code -} is run but its frames are not compared. Returns every frame read, labelled.
     */
    private static List<String> run(int port, boolean kv, String... script) throws IOException {
        List<String> frames = new ArrayList<>();
        try (RawClient s = new RawClient(port); RawClient p = kv ? RawClient.otherShard(port, RawClient.shardOf(s)) : new RawClient(port)) {
            for (String step : script) {
                boolean compared = !step.startsWith("-");
                String[] parts = (compared ? step : step.substring(1)).split(";");
                String cmd = parts[0].trim();
                (cmd.charAt(0) == 'S' ? s : p).send(cmd.substring(2));
                for (String read : parts[1].trim().split(" ")) {
                    RawClient from = read.charAt(0) == 'S' ? s : p;
                    for (int i = Integer.parseInt(read.substring(1)); i > 0; i--) {
                        String frame = RawResp.readReply(from.in);
                        frames.add(compared ? step + " -> " + frame : step);
                    }
                }
            }
        }
        return frames;
    }

    private static void same(String... script) throws IOException {
        List<String> expected = run(fixture.pair().redisPort, false, script);
        List<String> actual = run(fixture.pair().kv.port(), true, script);
        assertEquals(String.join("\n", expected), String.join("\n", actual));
    }

    @Test
    void resp2FramesSubscribedModeAndErrorsMatchRedis() throws IOException {
        same("S SUBSCRIBE d2news d2sport ; S2",
                "S GET x ; S1",
                "S CONFIG GET maxmemory ; S1",
                "S PUBLISH d2news x ; S1",
                "S PING ; S1",
                "S PING hi ; S1",
                "S PSUBSCRIBE d2n* ; S1",
                "P PUBLISH d2news hello ; P1 S2",
                "P PUBLISH d2nothing x ; P1 S1",
                "P PUBLISH d2sport y ; P1 S1",
                "P PUBLISH d2zzz z ; P1",
                "P PUBSUB NUMSUB d2news d2sport d2none ; P1",
                "P PUBSUB CHANNELS d2s* ; P1",
                "S SUBSCRIBE d2news ; S1",
                "S UNSUBSCRIBE d2news d2absent ; S2",
                "S UNSUBSCRIBE ; S1",
                "P PUBSUB NUMSUB d2news d2sport ; P1",
                "S PUNSUBSCRIBE ; S1",
                "S UNSUBSCRIBE ; S1",
                "S PUNSUBSCRIBE ; S1",
                "S SUNSUBSCRIBE ; S1",
                "S GET d2x ; S1",
                "S SSUBSCRIBE d2s1 d2s2 ; S2",
                "S SSUBSCRIBE d2s1 ; S1",
                "S UNSUBSCRIBE ; S1",
                "P SPUBLISH d2s1 m ; P1 S1",
                "P PUBLISH d2s1 m ; P1",
                "P PUBSUB SHARDNUMSUB d2s1 d2s3 ; P1",
                "P PUBSUB SHARDCHANNELS d2s1* ; P1",
                "P PUBSUB NUMSUB ; P1",
                "P PUBSUB HELP ; P1",
                "P PUBSUB FOO ; P1",
                "P PUBSUB NUMPAT x ; P1",
                "P PUBSUB HELP x ; P1",
                "P PUBSUB CHANNELS a b ; P1",
                "P SUBSCRIBE ; P1",
                "P PUBLISH a ; P1",
                "S SUNSUBSCRIBE d2s2 ; S1",
                "S RESET ; S1",
                "S GET d2x ; S1");
    }

    @Test
    void patternsCountTwiceAndNumpatCountsDistinctPatterns() throws IOException {
        // One matching pattern per message: Redis sends the pmessages of several in its dict's order.
        same("S PSUBSCRIBE d3a* d3x? ; S2",
                "P PUBSUB NUMPAT ; P1",
                "S SUBSCRIBE d3abc ; S1",
                "P PUBLISH d3abc m ; P1 S2",
                "P PUBLISH d3xy m ; P1 S1",
                "S PUNSUBSCRIBE d3x? ; S1",
                "P PUBSUB NUMPAT ; P1",
                "S PUNSUBSCRIBE d3a* d3zz ; S2",
                "P PUBSUB NUMPAT ; P1",
                "S QUIT ; S1");
    }

    @Test
    void resp3PushesAndEveryCommandWhileSubscribedMatchRedis() throws IOException {
        same("-S HELLO 3 ; S1",
                "S SUBSCRIBE d4c ; S1",
                "S GET d4x ; S1",
                "S PING ; S1",
                "S PING hi ; S1",
                "P PUBLISH d4c m ; P1 S1",
                "S PSUBSCRIBE d4* ; S1",
                "P PUBLISH d4c m2 ; P1 S2",
                "S UNSUBSCRIBE d4zz ; S1",
                "S SSUBSCRIBE d4s ; S1",
                "P SPUBLISH d4s z ; P1 S1",
                "S SUNSUBSCRIBE ; S1",
                "S UNSUBSCRIBE ; S1",
                "S PUNSUBSCRIBE ; S1",
                "S UNSUBSCRIBE ; S1",
                "S PUBSUB NUMSUB d4c ; S1",
                "S RESET ; S1",
                "S SUBSCRIBE d4c ; S1");
    }
}
