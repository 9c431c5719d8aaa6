package dev.herald.demo.engine;

import dev.herald.demo.config.HeraldProperties;
import dev.herald.demo.config.QueueKind;
import dev.herald.engine.spi.DeliveryQueue;
import dev.herald.queue.redis.RedisDeliveryQueue;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code herald.queue.kind: redis}: the Redis Streams queue, shared by every instance pointed at the same
 * Redis ({@code herald.queue.redis.url}) and key prefix ({@code herald.queue.redis.key-prefix}). Each instance
 * reads as its own consumer ({@code herald.queue.redis.consumer}, by default the host name plus a random
 * suffix). Nothing is sent to Redis at start-up, so an instance starts while Redis is down and
 * {@code /health} says so.
 */
@Factory
@Requires(property = "herald.queue.kind", value = QueueKind.REDIS)
public class RedisQueueFactory {
    private static final Logger log = LoggerFactory.getLogger(RedisQueueFactory.class);

    /**
     * The queue; closed when the application stops, after the engine (which is built from it).
     *
     * @throws ConfigurationException naming the {@code herald.queue.redis.*} setting the queue refused
     */
    @Singleton
    @Bean(preDestroy = "close")
    public DeliveryQueue deliveryQueue(HeraldProperties properties, Clock clock) {
        HeraldProperties.Queue.Redis redis = properties.getQueue().getRedis();
        if (redis.getUrl() == null || redis.getUrl().isBlank()) {
            throw new ConfigurationException("herald.queue.redis.url is required when herald.queue.kind=redis (redis://host:6379)");
        }
        RedisDeliveryQueue.Builder builder = RedisDeliveryQueue.builder().clock(clock);
        try {
            builder.url(redis.getUrl().trim());
        } catch (IllegalArgumentException e) {
            // The builder's message does not repeat the URL, which may carry a password.
            throw new ConfigurationException("herald.queue.redis.url: " + e.getMessage());
        }
        try {
            builder.keyPrefix(redis.getKeyPrefix());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigurationException("herald.queue.redis.key-prefix: " + e.getMessage());
        }
        if (redis.getConsumer() != null && !redis.getConsumer().isBlank()) {
            try {
                builder.consumer(redis.getConsumer().trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("herald.queue.redis.consumer: " + e.getMessage());
            }
        }
        RedisDeliveryQueue queue = builder.build();
        log.info("Herald queue: Redis, key prefix '{}', consumer '{}'", redis.getKeyPrefix(), queue.consumer());
        return queue;
    }
}
