package dev.herald.demo.ops;

import dev.herald.demo.config.HeraldProperties;
import dev.herald.engine.memory.InProcessDeliveryQueue;
import dev.herald.engine.spi.DeliveryQueue;
import dev.herald.queue.redis.RedisDeliveryQueue;
import io.micronaut.context.BeanProvider;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health} component {@code herald-queue}: UP when the queue tells its size, DOWN when it fails or
 * (the Redis queue) cannot reach Redis.
 */
@Singleton
public class QueueHealth extends AbstractHealthIndicator<Map<String, Object>> {
    private final BeanProvider<DeliveryQueue> queue;
    private final String kind;

    public QueueHealth(BeanProvider<DeliveryQueue> queue, HeraldProperties properties) {
        this.queue = queue;
        this.kind = properties.getQueue().getKind();
    }

    @Override
    protected String getName() {
        return "herald-queue";
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", kind);
        try {
            long depth = queue.get().size();
            details.put("depth", depth);
            healthStatus = HealthStatus.UP;
            if (queue.get() instanceof InProcessDeliveryQueue q) {
                details.put("capacity", q.capacity());
                details.put("dropped", q.dropped());
            } else if (queue.get() instanceof RedisDeliveryQueue q) {
                details.put("consumer", q.consumer());
                // The Redis queue answers -1 only when Redis cannot be reached.
                if (depth < 0) {
                    details.put("error", "Redis unreachable");
                    healthStatus = HealthStatus.DOWN;
                }
            }
        } catch (RuntimeException e) {
            details.put("error", e.getClass().getSimpleName());
            healthStatus = HealthStatus.DOWN;
        }
        return details;
    }
}
