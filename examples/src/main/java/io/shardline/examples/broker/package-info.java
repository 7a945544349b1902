/**
 * A Kafka-wire broker on Shardline ({@code ./shardline broker}), for unmodified Kafka clients. A partition
 * hashes to one shard ({@link io.shardline.examples.broker.BrokerShard#ownerOf}) and is one segmented log
 * there ({@link io.shardline.examples.broker.PartitionLog}) holding each RecordBatch v2 as the client sent it.
 * {@link io.shardline.examples.broker.BrokerConnection} reads a client's frames on the shard its connection
 * lives on; {@link io.shardline.examples.broker.Requests} hands each to its API ({@code *Api} classes), which
 * split it by partition and forward the parts through the mesh ({@link io.shardline.examples.broker.PartitionRouting});
 * responses go back in request order. Topics are created and deleted by the
 * {@link io.shardline.examples.broker.TopicController} on shard 0, which persists them
 * ({@link io.shardline.examples.broker.TopicStore}) and updates every shard's
 * {@link io.shardline.examples.broker.TopicTable}. Package {@code wire} is the protocol's primitive codec;
 * it depends on nothing here.
 */
package io.shardline.examples.broker;
