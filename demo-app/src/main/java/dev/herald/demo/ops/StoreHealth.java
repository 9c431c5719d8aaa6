package dev.herald.demo.ops;

import dev.herald.demo.config.HeraldProperties;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.spi.DeliveryStore;
import io.micronaut.context.BeanProvider;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /health} component {@code herald-store}: UP when the store answers a count, DOWN otherwise. */
@Singleton
public class StoreHealth extends AbstractHealthIndicator<Map<String, Object>> {
    private final BeanProvider<DeliveryStore> store;
    private final String kind;

    public StoreHealth(BeanProvider<DeliveryStore> store, HeraldProperties properties) {
        this.store = store;
        this.kind = properties.getStore().getKind();
    }

    @Override
    protected String getName() {
        return "herald-store";
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("kind", kind);
        try {
            Map<DeliveryStatus, Long> counts = store.get().countByStatus();
            details.put("deliveries", counts);
            healthStatus = HealthStatus.UP;
        } catch (RuntimeException e) {
            // The class name says enough; a message could carry a connection string.
            details.put("error", e.getClass().getSimpleName());
            healthStatus = HealthStatus.DOWN;
        }
        return details;
    }
}
