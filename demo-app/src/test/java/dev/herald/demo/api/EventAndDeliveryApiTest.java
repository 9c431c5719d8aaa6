package dev.herald.demo.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.demo.Api;
import dev.herald.demo.ApiTestBase;
import dev.herald.engine.signing.WebhookVerificationException;
import dev.herald.engine.signing.WebhookVerifier;
import dev.herald.engine.testing.TestReceiver;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.MediaType;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /v1/events}, {@code /v1/deliveries}, {@code /v1/dead-letters}: publish to receipt, the log, replay. */
@MicronautTest(transactional = false)
class EventAndDeliveryApiTest extends ApiTestBase {

    @Test
    void publishedEventArrivesSignedAndVerifies() {
        TestReceiver receiver = receiver();
        Api.Response endpoint = createEndpoint("{\"url\":\"" + receiver.url() + "\",\"eventTypes\":[\"document.completed\"]}");

        Api.Response published = publish("document.completed", "{\"doc\":\"d1\",\"pages\":12,\"ratio\":1.10}");

        JsonNode result = published.json();
        assertThat(result.path("eventId").asText()).startsWith("evt_");
        assertThat(result.path("duplicate").asBoolean()).isFalse();
        String deliveryId = result.path("deliveryIds").get(0).asText();
        awaitDelivery(deliveryId, "SUCCEEDED");
        TestReceiver.Received request = receiver.received().get(0);
        assertThat(request.header("webhook-id")).isEqualTo(deliveryId);
        assertThat(request.header("x-webhook-event")).isEqualTo("document.completed");
        assertThat(request.bodyText()).contains("\"data\":{\"doc\":\"d1\",\"pages\":12,\"ratio\":1.10}")
                .contains("\"id\":\"" + result.path("eventId").asText() + "\"");
        WebhookVerifier verifier = WebhookVerifier.builder().secret(endpoint.text("secret")).build();
        verifier.verify(request.headers()::get, request.body());
        Map<String, String> compatibleOnly = Map.of("x-webhook-signature", request.header("x-webhook-signature"));
        verifier.verify(compatibleOnly::get, request.body());
    }

    @Test
    void publishFansOutToMatchingEnabledEndpointsOnly() {
        TestReceiver docs = receiver();
        TestReceiver quota = receiver();
        TestReceiver disabled = receiver();
        createEndpointFor(docs, "document.*");
        createEndpointFor(quota, "quota.warning");
        String off = createEndpointFor(disabled);
        api.post("/v1/endpoints/" + off + "/disable");

        Api.Response published = publish("document.completed", "{}");

        assertThat(published.json().path("deliveryIds")).hasSize(1);
        await().atMost(WAIT).until(() -> docs.received().size() == 1);
        assertThat(quota.calls()).isZero();
        assertThat(disabled.calls()).isZero();
        assertThat(publish("download.progress", "{\"percent\":5}").json().path("deliveryIds")).isEmpty();
    }

    @Test
    void idempotencyKeyFromBodyOrHeaderStoresTheEventOnce() {
        createEndpointFor(receiver());

        Api.Response first = api.post("/v1/events", "{\"type\":\"quota.warning\",\"data\":{},\"idempotencyKey\":\"k-1\"}");
        Api.Response again = api.post("/v1/events", "{\"type\":\"quota.warning\",\"data\":{},\"idempotencyKey\":\"k-1\"}");
        Api.Response byHeader = api.send(HttpMethod.POST, "/v1/events", "{\"type\":\"quota.warning\",\"data\":{}}",
                MediaType.APPLICATION_JSON, Map.of("Idempotency-Key", "k-1"));
        Api.Response clash = api.send(HttpMethod.POST, "/v1/events",
                "{\"type\":\"quota.warning\",\"data\":{},\"idempotencyKey\":\"k-2\"}", MediaType.APPLICATION_JSON,
                Map.of("Idempotency-Key", "k-3"));

        assertThat(first.json().path("duplicate").asBoolean()).isFalse();
        assertThat(first.json().path("deliveryIds")).hasSize(1);
        for (Api.Response duplicate : List.of(again, byHeader)) {
            assertThat(duplicate.status()).isEqualTo(202);
            assertThat(duplicate.json().path("duplicate").asBoolean()).isTrue();
            assertThat(duplicate.text("eventId")).isEqualTo(first.text("eventId"));
            assertThat(duplicate.json().path("deliveryIds")).isEmpty();
        }
        assertThat(clash.errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(api.get("/v1/deliveries").json().path("data")).hasSize(1);
    }

    @Test
    void publishRefusesBadEventsAndStoresNothing() {
        TestReceiver receiver = receiver();
        createEndpointFor(receiver);
        record Case(String body, int status, String code) {
        }
        String big = "{\"type\":\"quota.warning\",\"data\":{\"x\":\"" + "a".repeat(300 * 1024) + "\"}}";
        List<Case> cases = List.of(
                new Case("{\"data\":{}}", 400, "INVALID_REQUEST"),
                new Case("{\"type\":\"quota.warning\"}", 400, "INVALID_REQUEST"),
                new Case("{\"type\":\"quota.warning\",\"data\":null}", 400, "INVALID_REQUEST"),
                new Case("{\"type\":\"quota.warning\",\"data\":[1,2]}", 400, "INVALID_PAYLOAD"),
                new Case("{\"type\":\"quota.warning\",\"data\":\"text\"}", 400, "INVALID_PAYLOAD"),
                new Case("{\"type\":\"never.declared\",\"data\":{}}", 400, "INVALID_EVENT_TYPE"),
                new Case("{\"type\":\"Bad Type\",\"data\":{}}", 400, "INVALID_EVENT_TYPE"),
                new Case("{\"type\":\"quota.warning\",\"data\":{},\"subject\":\"\"}", 400, "INVALID_ARGUMENT"),
                new Case("{\"type\":\"quota.warning\",\"data\":{},\"subject\":7}", 400, "INVALID_REQUEST"),
                new Case("{\"type\":1,\"data\":{}}", 400, "INVALID_REQUEST"),
                new Case("{\"type\":\"quota.warning\",\"data\":{},\"tenant\":\"someone-else\"}", 400, "INVALID_REQUEST"),
                new Case("{\"type\":\"quota.warning\",\"type\":\"document.completed\",\"data\":{}}", 400, "INVALID_REQUEST"),
                new Case("{\"type\":\"quota.warning\",\"data\":{}", 400, "INVALID_REQUEST"),
                new Case(big, 413, "PAYLOAD_TOO_LARGE"));

        for (Case c : cases) {
            Api.Response r = api.post("/v1/events", c.body());
            String shown = c.body().length() > 100 ? c.body().substring(0, 100) : c.body();
            assertThat(r.status()).as(shown + " -> " + r.body()).isEqualTo(c.status());
            assertThat(r.errorCode()).as(shown + " -> " + r.body()).isEqualTo(c.code());
        }
        assertThat(api.get("/v1/deliveries").json().path("data")).as("nothing was stored").isEmpty();
        assertThat(receiver.calls()).isZero();
    }

    @Test
    void deliveryDetailShowsEveryAttempt() {
        TestReceiver receiver = receiver().answer(n -> n == 1 ? 500 : 200);
        createEndpointFor(receiver);
        String id = publish("quota.warning", "{}").json().path("deliveryIds").get(0).asText();

        JsonNode delivery = awaitDelivery(id, "SUCCEEDED").json();

        assertThat(delivery.path("id").asText()).isEqualTo(id);
        assertThat(delivery.path("eventType").asText()).isEqualTo("quota.warning");
        assertThat(delivery.path("attemptCount").asInt()).isEqualTo(2);
        assertThat(delivery.path("nextAttemptAt").isNull()).isTrue();
        JsonNode attempts = delivery.path("attempts");
        assertThat(attempts).hasSize(2);
        JsonNode failed = attempts.get(0);
        assertThat(failed.path("number").asInt()).isEqualTo(1);
        assertThat(failed.path("statusCode").asInt()).isEqualTo(500);
        assertThat(failed.path("errorKind").asText()).isEqualTo("HTTP_STATUS");
        assertThat(failed.path("errorMessage").asText()).isNotBlank();
        assertThat(failed.path("responseBody").asText()).isEqualTo("{\"call\":1}");
        assertThat(failed.path("durationMs").asLong()).isNotNegative();
        assertThat(failed.path("startedAt").asText()).endsWith("Z");
        JsonNode succeeded = attempts.get(1);
        assertThat(succeeded.path("statusCode").asInt()).isEqualTo(200);
        assertThat(succeeded.path("errorKind").isNull()).isTrue();
        assertThat(succeeded.path("errorMessage").isNull()).isTrue();
    }

    @Test
    void failedDeliveryIsReplayedAndKeepsItsAttempts() {
        TestReceiver receiver = receiver().answer(400);
        createEndpointFor(receiver);
        String id = publish("quota.warning", "{}").json().path("deliveryIds").get(0).asText();
        awaitDelivery(id, "FAILED");

        receiver.answer(200);
        Api.Response replayed = api.post("/v1/deliveries/" + id + "/replay");

        assertThat(replayed.status()).as(replayed.body()).isEqualTo(202);
        assertThat(replayed.text("status")).isIn("SCHEDULED", "IN_FLIGHT", "SUCCEEDED");
        JsonNode done = awaitDelivery(id, "SUCCEEDED").json();
        assertThat(done.path("attempts")).extracting(a -> a.path("statusCode").asInt()).containsExactly(400, 200);
        assertThat(receiver.received()).extracting(r -> r.header("webhook-id")).containsOnly(id);
    }

    @Test
    void replayRefusesADeliveryThatIsNotFailedOrDead() {
        createEndpointFor(receiver());
        String id = publish("quota.warning", "{}").json().path("deliveryIds").get(0).asText();
        awaitDelivery(id, "SUCCEEDED");

        Api.Response r = api.post("/v1/deliveries/" + id + "/replay");

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.errorCode()).isEqualTo("NOT_REPLAYABLE");
    }

    @Test
    void deadLettersAreListedAndReplayedPerEndpoint() {
        TestReceiver receiver = receiver().answer(503);
        String endpointId = createEndpointFor(receiver);
        String first = publish("quota.warning", "{\"n\":1}").json().path("deliveryIds").get(0).asText();
        String second = publish("quota.warning", "{\"n\":2}").json().path("deliveryIds").get(0).asText();
        awaitDelivery(first, "DEAD");
        awaitDelivery(second, "DEAD");

        Api.Response dead = api.get("/v1/dead-letters");
        assertThat(dead.json().path("data")).extracting(d -> d.path("id").asText()).containsExactly(second, first);
        assertThat(dead.json().path("data").get(0).path("attemptCount").asInt()).isEqualTo(3);
        assertThat(dead.json().path("data").get(0).path("lastError").asText()).isNotBlank();
        assertThat(api.get("/v1/dead-letters?limit=1").json().path("data")).hasSize(1);

        receiver.answer(200);
        Api.Response replayed = api.post("/v1/endpoints/" + endpointId + "/replay");

        assertThat(replayed.status()).isEqualTo(202);
        assertThat(replayed.json().path("replayed")).extracting(JsonNode::asText).containsExactlyInAnyOrder(first, second);
        awaitDelivery(first, "SUCCEEDED");
        awaitDelivery(second, "SUCCEEDED");
        assertThat(api.get("/v1/dead-letters").json().path("data")).isEmpty();
        assertThat(api.post("/v1/endpoints/" + endpointId + "/replay").json().path("replayed")).isEmpty();
    }

    @Test
    void deliveriesAreFilteredAndPaged() {
        TestReceiver a = receiver();
        TestReceiver b = receiver().answer(400);
        String endpointA = createEndpointFor(a);
        createEndpointFor(b);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            events.add(publish("quota.warning", "{\"i\":" + i + "}").text("eventId"));
        }
        await().atMost(WAIT).until(() -> api.get("/v1/deliveries?status=FAILED").json().path("data").size() == 3
                && api.get("/v1/deliveries?status=SUCCEEDED").json().path("data").size() == 3);

        assertThat(api.get("/v1/deliveries").json().path("data")).hasSize(6);
        assertThat(api.get("/v1/deliveries?endpointId=" + endpointA).json().path("data"))
                .allMatch(d -> d.path("endpointId").asText().equals(endpointA)).hasSize(3);
        assertThat(api.get("/v1/deliveries?eventId=" + events.get(1)).json().path("data"))
                .allMatch(d -> d.path("eventId").asText().equals(events.get(1))).hasSize(2);
        assertThat(api.get("/v1/deliveries?status=failed&endpointId=" + endpointA).json().path("data")).isEmpty();

        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response page = api.get("/v1/deliveries?limit=4" + (cursor == null ? "" : "&cursor=" + cursor));
            page.json().path("data").forEach(d -> paged.add(d.path("id").asText()));
            cursor = page.json().path("nextCursor").asText(null);
        } while (cursor != null);
        assertThat(paged).hasSize(6).doesNotHaveDuplicates();

        assertThat(api.get("/v1/deliveries?status=LOST").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(api.get("/v1/deliveries?endpointId=nope").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(api.get("/v1/deliveries?eventId=ep_01ARZ3NDEKTSV4RRFFQ69G5FAV").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(api.get("/v1/deliveries?limit=0").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(api.get("/v1/deliveries?cursor=evt_x").errorCode()).isEqualTo("INVALID_REQUEST");
    }

    @Test
    void unknownAndMalformedDeliveryIdsAre404() {
        for (String id : List.of("dlv_01ARZ3NDEKTSV4RRFFQ69G5FAV", "dlv_", "ep_01ARZ3NDEKTSV4RRFFQ69G5FAV")) {
            assertThat(api.get("/v1/deliveries/" + id).errorCode()).isEqualTo("DELIVERY_NOT_FOUND");
            Api.Response replay = api.post("/v1/deliveries/" + id + "/replay");
            assertThat(replay.status()).isEqualTo(404);
            assertThat(replay.errorCode()).isEqualTo("DELIVERY_NOT_FOUND");
        }
    }

    @Test
    void rotationSignsWithBothSecretsDuringGraceAndOnlyTheNewOneAfter() {
        TestReceiver receiver = receiver();
        Api.Response endpoint = createEndpoint("{\"url\":\"" + receiver.url() + "\"}");
        String id = endpoint.text("id");
        String oldSecret = endpoint.text("secret");

        String newSecret = api.post("/v1/endpoints/" + id + "/rotate-secret", "{\"graceSeconds\":3600}").text("secret");
        String during = publish("quota.warning", "{}").json().path("deliveryIds").get(0).asText();
        awaitDelivery(during, "SUCCEEDED");

        TestReceiver.Received request = receiver.received().get(0);
        assertThat(request.header("webhook-signature").split(" ")).hasSize(2);
        WebhookVerifier.builder().secret(oldSecret).build().verify(request.headers()::get, request.body());
        WebhookVerifier.builder().secret(newSecret).build().verify(request.headers()::get, request.body());

        String newest = api.post("/v1/endpoints/" + id + "/rotate-secret", "{\"graceSeconds\":0}").text("secret");
        String after = publish("quota.warning", "{}").json().path("deliveryIds").get(0).asText();
        awaitDelivery(after, "SUCCEEDED");

        TestReceiver.Received late = receiver.received().get(1);
        assertThat(late.header("webhook-signature").split(" ")).hasSize(1);
        WebhookVerifier.builder().secret(newest).build().verify(late.headers()::get, late.body());
        assertThatThrownBy(() -> WebhookVerifier.builder().secret(newSecret).build().verify(late.headers()::get, late.body()))
                .isInstanceOf(WebhookVerificationException.class);
        assertThat(api.get("/v1/endpoints/" + id).json().path("previousSecretExpiresAt").isNull()).isTrue();
    }

    @Test
    void testEventGoesToThatEndpointOnly() {
        TestReceiver target = receiver();
        TestReceiver bystander = receiver();
        String id = createEndpointFor(target);
        createEndpointFor(bystander);

        Api.Response sent = api.post("/v1/endpoints/" + id + "/test");

        assertThat(sent.status()).isEqualTo(202);
        assertThat(sent.json().path("deliveryIds")).hasSize(1);
        await().atMost(WAIT).until(() -> target.received().size() == 1);
        assertThat(target.received().get(0).header("x-webhook-event")).isEqualTo("herald.test");
        assertThat(bystander.calls()).isZero();
    }

    @Test
    void anotherTenantNeitherSeesNorReachesThisTenantsDeliveries() {
        TestReceiver receiver = receiver().answer(400);
        String endpointId = createEndpointFor(receiver);
        String eventId = publish("quota.warning", "{}").text("eventId");
        String id = api.get("/v1/deliveries?eventId=" + eventId).json().path("data").get(0).path("id").asText();
        awaitDelivery(id, "FAILED");
        Api other = otherTenant();

        assertThat(other.get("/v1/deliveries/" + id).errorCode()).isEqualTo("DELIVERY_NOT_FOUND");
        assertThat(other.post("/v1/deliveries/" + id + "/replay").errorCode()).isEqualTo("DELIVERY_NOT_FOUND");
        assertThat(other.post("/v1/endpoints/" + endpointId + "/replay").errorCode()).isEqualTo("ENDPOINT_NOT_FOUND");
        assertThat(other.get("/v1/deliveries").json().path("data")).isEmpty();
        assertThat(other.get("/v1/deliveries?endpointId=" + endpointId).json().path("data")).isEmpty();
        assertThat(other.get("/v1/deliveries?eventId=" + eventId).json().path("data")).isEmpty();
        assertThat(other.get("/v1/dead-letters").json().path("data")).isEmpty();
        Api.Response theirs = other.post("/v1/events", "{\"type\":\"quota.warning\",\"data\":{}}");
        assertThat(theirs.json().path("deliveryIds")).isEmpty();
        assertThat(api.get("/v1/deliveries/" + id).text("status")).isEqualTo("FAILED");
        assertThat(receiver.calls()).isEqualTo(1);
    }
}
