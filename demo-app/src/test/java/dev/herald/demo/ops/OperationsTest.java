package dev.herald.demo.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.demo.Api;
import dev.herald.demo.ApiTestBase;
import dev.herald.engine.testing.TestReceiver;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Health, Prometheus metrics and the OpenAPI document, open without an API key. */
@MicronautTest(transactional = false)
class OperationsTest extends ApiTestBase {

    @Test
    void healthShowsTheStoreAndTheQueue() {
        Api.Response health = api.as(null).get("/health");

        assertThat(health.status()).isEqualTo(200);
        JsonNode json = health.json();
        assertThat(json.path("status").asText()).isEqualTo("UP");
        JsonNode store = json.path("details").path("herald-store");
        assertThat(store.path("status").asText()).isEqualTo("UP");
        assertThat(store.path("details").path("kind").asText()).isEqualTo("jdbc");
        assertThat(store.path("details").path("deliveries").has("DEAD")).isTrue();
        JsonNode queue = json.path("details").path("herald-queue");
        assertThat(queue.path("status").asText()).isEqualTo("UP");
        assertThat(queue.path("details").path("kind").asText()).isEqualTo("in-process");
        assertThat(queue.path("details").path("depth").asLong()).isNotNegative();
    }

    @Test
    void prometheusCountsOutcomesAndShowsTheBacklog() {
        double succeededBefore = metric("herald_deliveries_total\\{outcome=\"succeeded\"}");
        double deadBefore = metric("herald_deliveries_total\\{outcome=\"dead\"}");
        TestReceiver ok = receiver();
        TestReceiver failing = receiver().answer(500);
        createEndpointFor(ok, "document.completed");
        createEndpointFor(failing, "quota.warning");

        String good = publish("document.completed", "{}").json().path("deliveryIds").get(0).asText();
        String bad = publish("quota.warning", "{}").json().path("deliveryIds").get(0).asText();
        awaitDelivery(good, "SUCCEEDED");
        awaitDelivery(bad, "DEAD");

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(metric("herald_deliveries_total\\{outcome=\"succeeded\"}")).isEqualTo(succeededBefore + 1);
            assertThat(metric("herald_deliveries_total\\{outcome=\"dead\"}")).isEqualTo(deadBefore + 1);
        });
        String text = api.as(null).get("/prometheus").body();
        assertThat(text).contains("herald_deliveries_total{outcome=\"retrying\"}")
                .contains("herald_attempt_duration_seconds_bucket{outcome=\"succeeded\"")
                .contains("herald_queue_depth ")
                .contains("herald_oldest_due_age_seconds ");
        assertThat(metric("herald_dead_letters")).isGreaterThanOrEqualTo(1);
        assertThat(metric("herald_attempt_duration_seconds_count\\{outcome=\"retrying\"}")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void openApiDocumentIsServed() {
        Api.Response doc = api.as(null).get("/openapi.yml");

        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.body()).startsWith("openapi: 3")
                .contains("/v1/endpoints/{id}/rotate-secret:")
                .contains("/v1/events:")
                .contains("/v1/dead-letters:")
                .contains("EndpointWithSecret")
                .doesNotContain("test-only");
        assertThat(api.as(null).get("/swagger/herald-v1.yml").body()).isEqualTo(doc.body());
    }

    /** The value of one sample line of the Prometheus text, 0 when absent. */
    private double metric(String name) {
        String text = api.as(null).get("/prometheus").body();
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
