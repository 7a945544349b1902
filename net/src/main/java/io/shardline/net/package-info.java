/**
 * Per-shard TCP and UDP on each shard's own reactor. A {@link io.shardline.net.Transport} is the
 * shard loop's parker and poll source at once (Netty's {@code IoHandler} idea: composed into the loop,
 * not a subclass of it): {@link io.shardline.net.NioTransport} on a selector, or
 * {@link io.shardline.net.IoUringTransport} on the loop's io_uring ring ({@link io.shardline.net.Net#install}
 * picks). Every socket lives and dies on one shard.
 */
package io.shardline.net;
