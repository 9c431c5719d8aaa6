/**
 * A {@link dev.herald.engine.spi.DeliveryQueue} on Redis Streams, for several Herald instances sharing one
 * Redis: {@link dev.herald.queue.redis.RedisDeliveryQueue}, built with
 * {@link dev.herald.queue.redis.RedisDeliveryQueue#builder()}. Due work sits in a stream read by one consumer
 * group, delayed work in a sorted set moved to the stream when due, and entries a dead consumer left
 * unacknowledged are taken over by the others. Everything else in the package is an implementation detail.
 */
package dev.herald.queue.redis;
