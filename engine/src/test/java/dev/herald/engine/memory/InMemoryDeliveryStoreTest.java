package dev.herald.engine.memory;

import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.spi.DeliveryStoreContract;

class InMemoryDeliveryStoreTest extends DeliveryStoreContract {
    @Override
    protected DeliveryStore newStore() {
        return new InMemoryDeliveryStore();
    }
}
