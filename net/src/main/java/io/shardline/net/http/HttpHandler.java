package io.shardline.net.http;

import io.shardline.core.Future;

/**
 * Answers requests; called on the shard of the request's connection, with no lock. One instance may
 * serve every shard at once, so it must be thread-safe (a stateless lambda or an immutable router
 * is), or be made per shard.
 *
 * <p>The returned future may complete later (after a call to another shard, say), on this shard.
 * Responses go out in request order however their futures complete. A failed future answers 500, or
 * the status of an {@link HttpException}. A client that goes away before its response is whole is
 * told through {@link HttpRequest#onAbort}.
 */
@FunctionalInterface
public interface HttpHandler {

    Future<HttpResponse> handle(HttpRequest request);
}
