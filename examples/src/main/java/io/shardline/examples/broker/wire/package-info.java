/**
 * Kafka's wire primitives: request headers, classic and compact (flexible) encodings, tagged fields, and
 * the frame a response is written into. Owned by whichever shard reads or writes one request.
 */
package io.shardline.examples.broker.wire;
