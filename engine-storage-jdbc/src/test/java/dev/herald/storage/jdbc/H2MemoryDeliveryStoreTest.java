package dev.herald.storage.jdbc;

import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.spi.DeliveryStoreContract;
import java.util.concurrent.atomic.AtomicInteger;

class H2MemoryDeliveryStoreTest extends DeliveryStoreContract {
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    protected DeliveryStore newStore() {
        return JdbcDeliveryStore.h2Memory("contract-" + DATABASES.incrementAndGet());
    }
}
