package dev.herald.storage.jdbc;

import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.spi.DeliveryStoreContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

class H2FileDeliveryStoreTest extends DeliveryStoreContract {
    private final AtomicInteger databases = new AtomicInteger();

    @TempDir
    Path dir;

    @Override
    protected DeliveryStore newStore() {
        return JdbcDeliveryStore.h2File(dir.resolve("db-" + databases.incrementAndGet()));
    }
}
