package dev.herald.demo.engine;

import dev.herald.demo.config.StoreKind;
import dev.herald.engine.memory.InMemoryDeliveryStore;
import dev.herald.engine.spi.DeliveryStore;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code herald.store.kind: memory}: the engine's in-memory store.
 * Events, endpoints and deliveries live in the heap and are lost when the process stops, so this factory
 * says so loudly at start-up.
 */
@Factory
@Requires(property = "herald.store.kind", value = StoreKind.MEMORY)
public class MemoryStoreFactory {
    private static final Logger log = LoggerFactory.getLogger(MemoryStoreFactory.class);

    /** The store; closed when the application stops. */
    @Singleton
    @Bean(preDestroy = "close")
    public DeliveryStore deliveryStore() {
        log.warn("*****************************************************************************************");
        log.warn("herald.store.kind=memory: endpoints, events and pending webhooks live in memory only and");
        log.warn("are LOST when the server stops. Fine for a demo; not for anything else.");
        log.warn("*****************************************************************************************");
        return new InMemoryDeliveryStore();
    }
}
