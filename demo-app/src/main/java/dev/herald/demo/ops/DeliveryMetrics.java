package dev.herald.demo.ops;

import dev.herald.engine.HeraldListener;
import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

/**
 * Counts delivery outcomes and times attempts, as the engine reports them:
 * <ul>
 *   <li>{@code herald_deliveries_total{outcome=succeeded|retrying|failed|dead}}: attempts by what they led to;</li>
 *   <li>{@code herald_attempt_duration_seconds{outcome}}: attempt latency, a histogram;</li>
 *   <li>{@code herald_endpoints_disabled_total}: endpoints the engine disabled (they answered 410).</li>
 * </ul>
 * Thread-safe: meters are.
 */
@Singleton
public class DeliveryMetrics implements HeraldListener {
    private final Outcome succeeded;
    private final Outcome retrying;
    private final Outcome failed;
    private final Outcome dead;
    private final Counter endpointsDisabled;

    public DeliveryMetrics(MeterRegistry registry) {
        this.succeeded = new Outcome(registry, "succeeded");
        this.retrying = new Outcome(registry, "retrying");
        this.failed = new Outcome(registry, "failed");
        this.dead = new Outcome(registry, "dead");
        this.endpointsDisabled = Counter.builder("herald.endpoints.disabled")
                .description("Endpoints disabled by the engine because they answered 410 Gone").register(registry);
    }

    @Override
    public void deliverySucceeded(Delivery delivery, Attempt attempt) {
        succeeded.record(attempt);
    }

    @Override
    public void deliveryRetrying(Delivery delivery, Attempt attempt) {
        retrying.record(attempt);
    }

    @Override
    public void deliveryFailed(Delivery delivery, Attempt attempt) {
        failed.record(attempt);
    }

    @Override
    public void deliveryDead(Delivery delivery, Attempt attempt) {
        dead.record(attempt);
    }

    @Override
    public void endpointDisabled(Endpoint endpoint, String reason) {
        endpointsDisabled.increment();
    }

    /** The counter and timer of one outcome. */
    private static final class Outcome {
        private final Counter count;
        private final Timer latency;

        Outcome(MeterRegistry registry, String outcome) {
            this.count = Counter.builder("herald.deliveries").tag("outcome", outcome)
                    .description("Delivery attempts by the outcome they led to").register(registry);
            this.latency = Timer.builder("herald.attempt.duration").tag("outcome", outcome)
                    .description("Webhook request latency, from sending to the answer or the failure")
                    .publishPercentileHistogram().register(registry);
        }

        void record(Attempt attempt) {
            count.increment();
            // A delivery can end without a request (endpoint deleted); those carry no latency worth timing.
            if (attempt != null) {
                latency.record(attempt.duration());
            }
        }
    }
}
