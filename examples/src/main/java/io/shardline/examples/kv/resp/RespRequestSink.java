package io.shardline.examples.kv.resp;

/** Where a {@link RespRequestParser} hands complete requests. Called on the parser's thread, one call at a time. */
@FunctionalInterface
public interface RespRequestSink {

    /**
     * One complete, non-empty request. {@code args} and every view it gives are valid only during this
     * call; copy what must outlive it ({@link RespArgs#get(int)}, {@link RespArgs#toArray()}).
     *
     * @return true to go on parsing; false to stop after this request (as Redis stops reading a
     *         blocked client's buffer): the rest stays buffered until {@link RespRequestParser#resume}
     */
    boolean onRequest(RespArgs args);
}
