package dev.herald.demo.ops;

import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.spi.DeliveryQueue;
import dev.herald.engine.spi.DeliveryStore;
import io.micronaut.context.BeanProvider;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Gauges read from the store and queue at every scrape:
 * <ul>
 *   <li>{@code herald_queue_depth}: ids waiting in the queue ({@code -1} when the queue cannot tell);</li>
 *   <li>{@code herald_oldest_due_age_seconds}: how long the longest-waiting due delivery has been due (0 when none);</li>
 *   <li>{@code herald_dead_letters}: DEAD deliveries, across tenants.</li>
 * </ul>
 * A store that fails a read reports NaN for that scrape. The store and queue are looked up at the first
 * scrape, not at start-up, so a misconfigured store is reported by the engine's factory with its message.
 */
@Singleton
public class BacklogMetrics implements MeterBinder {
    private final BeanProvider<DeliveryStore> store;
    private final BeanProvider<DeliveryQueue> queue;
    private final Clock clock;

    public BacklogMetrics(BeanProvider<DeliveryStore> store, BeanProvider<DeliveryQueue> queue, Clock clock) {
        this.store = store;
        this.queue = queue;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("herald.queue.depth", queue, q -> q.get().size())
                .description("Delivery ids waiting in the queue").register(registry);
        Gauge.builder("herald.oldest.due.age", store, this::oldestDueSeconds).baseUnit("seconds")
                .description("How long the longest-waiting due delivery has been due").register(registry);
        Gauge.builder("herald.dead.letters", store, s -> s.get().countByStatus().getOrDefault(DeliveryStatus.DEAD, 0L))
                .description("Dead letters (DEAD deliveries) across tenants").register(registry);
    }

    private double oldestDueSeconds(BeanProvider<DeliveryStore> s) {
        Instant oldest = s.get().oldestDue().orElse(null);
        if (oldest == null) {
            return 0;
        }
        Duration age = Duration.between(oldest, clock.instant());
        return age.isNegative() ? 0 : age.toMillis() / 1000.0;
    }
}
