package dev.herald.demo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.engine.EndpointRequest;
import dev.herald.engine.EventRequest;
import dev.herald.engine.Herald;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.testing.TestReceiver;
import dev.herald.storage.jdbc.JdbcDeliveryStore;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the application closes the engine, then the store: in-flight deliveries go back to the H2 file
 * for later, which only works when the store is still open while the engine stops.
 */
class ShutdownTest {

    @TempDir
    Path dataDir;

    @Test
    void stoppingTheApplicationPutsInFlightDeliveriesBack() {
        try (TestReceiver slow = TestReceiver.start().holdRequests()) {
            EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                    "herald.delivery.request-timeout", "10s",
                    "herald.delivery.lease", "30s",
                    "herald.delivery.shutdown-timeout", "200ms",
                    "herald.store.jdbc.url", "",
                    "herald.data-dir", dataDir.toString()), "test");
            ApplicationContext context = server.getApplicationContext();
            Herald herald = context.getBean(Herald.class);
            herald.createEndpoint("acme", EndpointRequest.of(slow.url()));
            String id = herald.publish(EventRequest.of("acme", "quota.warning", "{}")).deliveryIds().get(0);
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.calls() == 1);
            assertThat(herald.delivery("acme", id).status()).isEqualTo(DeliveryStatus.IN_FLIGHT);

            context.close();

            assertThat(server.isRunning()).isFalse();
            try (JdbcDeliveryStore reopened = JdbcDeliveryStore.h2File(dataDir)) {
                Delivery released = reopened.findDelivery("acme", id).orElseThrow();
                assertThat(released.status()).isEqualTo(DeliveryStatus.SCHEDULED);
                assertThat(released.attempts()).isZero();
            }
        }
    }
}
