package dev.herald.demo.engine;

import dev.herald.demo.config.QueueKind;
import dev.herald.engine.memory.InProcessDeliveryQueue;
import dev.herald.engine.spi.DeliveryQueue;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * {@code herald.queue.kind: in-process} (the default): the engine's queue in this JVM's heap. Right for one
 * instance; several instances sharing a store need the Redis queue.
 */
@Factory
@Requires(property = "herald.queue.kind", value = QueueKind.IN_PROCESS, defaultValue = QueueKind.IN_PROCESS)
public class InProcessQueueFactory {

    /** The queue; closed when the application stops. */
    @Singleton
    @Bean(preDestroy = "close")
    public DeliveryQueue deliveryQueue(Clock clock) {
        return InProcessDeliveryQueue.builder().clock(clock).build();
    }
}
