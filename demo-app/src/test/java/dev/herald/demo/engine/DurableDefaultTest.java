package dev.herald.demo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.demo.Api;
import dev.herald.demo.auth.ApiKeys;
import dev.herald.engine.signing.WebhookVerifier;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.testing.TestReceiver;
import dev.herald.storage.jdbc.JdbcDeliveryStore;
import dev.herald.storage.jdbc.JdbcDialect;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no configuration (not even the test environment) the server keeps everything in H2 files under the
 * data directory: an endpoint and a pending delivery outlive a restart, and the delivery goes out after it.
 */
class DurableDefaultTest {

    @TempDir
    Path dataDir;

    /** The defaults, except what a test must change: a free port, the data directory, local receivers. */
    private EmbeddedServer start() {
        ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                .properties(Map.of(
                        "micronaut.server.port", -1,
                        "herald.data-dir", dataDir.toString(),
                        "herald.storage.embedded-port", 0,
                        "herald.url-policy.allow-http", true,
                        "herald.url-policy.allow-private-networks", true,
                        // Long enough that the retry falls after the restart, short enough for a test.
                        "herald.retry.delays", "3s",
                        "herald.delivery.shutdown-timeout", "1s"))
                .start();
        return context.getBean(EmbeddedServer.class).start();
    }

    private static Api api(EmbeddedServer server, String key) {
        return new Api(server.getApplicationContext().createBean(HttpClient.class, server.getURL()).toBlocking(), key);
    }

    @Test
    void endpointAndPendingDeliverySurviveARestartThenDeliver() {
        try (TestReceiver receiver = TestReceiver.start().answer(call -> call == 1 ? 503 : 200)) {
            EmbeddedServer first = start();
            DeliveryStore store = first.getApplicationContext().getBean(DeliveryStore.class);
            assertThat(store).isInstanceOf(JdbcDeliveryStore.class);
            assertThat(((JdbcDeliveryStore) store).dialect()).isEqualTo(JdbcDialect.H2);
            String key = first.getApplicationContext().getBean(ApiKeys.class).issue("acme", "test");
            Api api = api(first, key);
            Api.Response endpoint = api.post("/v1/endpoints",
                    "{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"document.*\"]}");
            assertThat(endpoint.status()).as(endpoint.body()).isEqualTo(201);
            String endpointId = endpoint.text("id");
            Api.Response published = api.post("/v1/events", "{\"type\":\"document.completed\",\"data\":{\"n\":1}}");
            String deliveryId = published.json().path("deliveryIds").get(0).asText();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    api.get("/v1/deliveries/" + deliveryId).json().path("attempts").size() == 1);
            assertThat(api.get("/v1/deliveries/" + deliveryId).text("status")).isEqualTo("SCHEDULED");

            first.getApplicationContext().close();
            assertThat(dataDir.resolve("herald.mv.db")).exists();
            assertThat(dataDir.resolve("herald-demo.mv.db")).exists();

            EmbeddedServer second = start();
            try {
                Api after = api(second, key);
                assertThat(after.get("/v1/endpoints/" + endpointId).status()).isEqualTo(200);
                Api.Response pending = after.get("/v1/deliveries/" + deliveryId);
                assertThat(pending.status()).isEqualTo(200);
                assertThat(pending.json().path("attempts").get(0).path("statusCode").asInt()).isEqualTo(503);

                await().atMost(Duration.ofSeconds(15)).until(() ->
                        "SUCCEEDED".equals(after.get("/v1/deliveries/" + deliveryId).text("status")));
                assertThat(receiver.calls()).isEqualTo(2);
                TestReceiver.Received request = receiver.received().get(1);
                assertThat(request.header("webhook-id")).isEqualTo(deliveryId);
                WebhookVerifier.builder().secret(endpoint.text("secret")).build().verify(request.headers()::get, request.body());
            } finally {
                second.getApplicationContext().close();
            }
        }
    }
}
