package dev.herald.demo.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.demo.Api;
import dev.herald.demo.ApiTestBase;
import dev.herald.engine.signing.WebhookVerifier;
import dev.herald.engine.spi.DeliveryQueue;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.testing.TestReceiver;
import dev.herald.queue.redis.RedisDeliveryQueue;
import dev.herald.storage.jdbc.JdbcDeliveryStore;
import dev.herald.storage.jdbc.JdbcDialect;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The second configuration, as several instances would run: the JDBC store on PostgreSQL (by URL) and the
 * Redis queue, both real servers on 127.0.0.1. Publishing through the HTTP API ends in a signed webhook at
 * the receiver; replay and health work on this stack too.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRedisStackTest extends ApiTestBase implements TestPropertyProvider {

    @Inject
    DeliveryStore store;

    @Inject
    DeliveryQueue queue;

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "herald.store.kind", "jdbc",
                "herald.store.jdbc.url", EmbeddedPostgresServer.newDatabaseUrl("demo_stack"),
                "herald.store.jdbc.username", "postgres",
                "herald.queue.kind", "redis",
                "herald.queue.redis.url", EmbeddedRedis.launch().url(),
                "herald.queue.redis.key-prefix", "demo-test",
                "herald.queue.redis.consumer", "instance-a");
    }

    @Test
    void runsOnPostgresAndRedis() {
        assertThat(store).isInstanceOf(JdbcDeliveryStore.class);
        assertThat(((JdbcDeliveryStore) store).dialect()).isEqualTo(JdbcDialect.POSTGRESQL);
        assertThat(queue).isInstanceOf(RedisDeliveryQueue.class);
        assertThat(((RedisDeliveryQueue) queue).consumer()).isEqualTo("instance-a");

        JsonNode health = api.as(null).get("/health").json().path("details");
        assertThat(health.path("herald-store").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("herald-store").path("details").path("kind").asText()).isEqualTo("jdbc");
        assertThat(health.path("herald-queue").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("herald-queue").path("details").path("kind").asText()).isEqualTo("redis");
        assertThat(health.path("herald-queue").path("details").path("consumer").asText()).isEqualTo("instance-a");
        assertThat(health.path("herald-queue").path("details").path("depth").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(api.as(null).get("/prometheus").body()).containsPattern("(?m)^herald_queue_depth(\\{[^}]*\\})? \\d");
    }

    @Test
    void publishedEventArrivesSignedThroughRedis() {
        TestReceiver receiver = receiver();
        Api.Response endpoint = createEndpoint("{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"document.*\"]}");

        String deliveryId = publish("document.completed", "{\"documentId\":\"doc_42\"}").json()
                .path("deliveryIds").get(0).asText();

        Api.Response delivered = awaitDelivery(deliveryId, "SUCCEEDED");
        assertThat(delivered.json().path("attempts")).hasSize(1);
        assertThat(receiver.received()).hasSize(1);
        TestReceiver.Received request = receiver.received().get(0);
        assertThat(request.header("webhook-id")).isEqualTo(deliveryId);
        assertThat(request.bodyText()).contains("\"documentId\":\"doc_42\"");
        WebhookVerifier.builder().secret(endpoint.text("secret")).build().verify(request.headers()::get, request.body());
    }

    @Test
    void failedDeliveryIsReplayed() {
        TestReceiver receiver = receiver().answer(call -> call == 1 ? 400 : 200);
        Api.Response endpoint = createEndpoint("{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"quota.warning\"]}");
        String deliveryId = publish("quota.warning", "{\"used\":0.93}").json().path("deliveryIds").get(0).asText();
        awaitDelivery(deliveryId, "FAILED");

        Api.Response replay = api.post("/v1/deliveries/" + deliveryId + "/replay");

        assertThat(replay.status()).as(replay.body()).isEqualTo(202);
        Api.Response delivered = awaitDelivery(deliveryId, "SUCCEEDED");
        assertThat(delivered.json().path("attempts")).hasSize(2);
        assertThat(receiver.received()).hasSize(2);
        assertThat(receiver.received().get(1).header("webhook-id")).isEqualTo(deliveryId);
        WebhookVerifier.builder().secret(endpoint.text("secret")).build()
                .verify(receiver.received().get(1).headers()::get, receiver.received().get(1).body());
    }
}
