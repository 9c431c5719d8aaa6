package dev.herald.demo.ops;

import dev.herald.demo.config.HeraldProperties;
import dev.herald.engine.memory.InProcessDeliveryQueue;
import dev.herald.engine.spi.DeliveryQueue;
import io.micronaut.context.BeanProvider;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /health} component {@code herald-queue}: UP when the queue tells its size, DOWN otherwise. */
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
            details.put("depth", queue.get().size());
            if (queue.get() instanceof InProcessDeliveryQueue q) {
                details.put("capacity", q.capacity());
                details.put("dropped", q.dropped());
            }
            healthStatus = HealthStatus.UP;
        } catch (RuntimeException e) {
            details.put("error", e.getClass().getSimpleName());
            healthStatus = HealthStatus.DOWN;
        }
        return details;
    }
}
