package dev.herald.engine.delivery;

import dev.herald.engine.HeraldListener;
import dev.herald.engine.model.Ids;
import dev.herald.engine.retry.RetryPolicy;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.spi.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * What a {@link Dispatcher} works with, validated by the engine's builder. Internal to the engine.
 */
public record DispatchSettings(
        DeliveryStore store,
        ResilientQueue queue,
        Transport transport,
        EndpointDirectory directory,
        RetryPolicy retryPolicy,
        HeraldListener listener,
        Clock clock,
        RandomGenerator random,
        Ids ids,
        Executor executor,
        String instanceId,
        int maxInFlight,
        int endpointMaxInFlight,
        int batchSize,
        Duration requestTimeout,
        Duration lease,
        Duration sweepInterval,
        Duration shutdownTimeout,
        int circuitFailures,
        Duration circuitDelay) {
}
