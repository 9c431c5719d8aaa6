package dev.herald.demo.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.demo.Api;
import dev.herald.demo.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, found by the bad-input drill: input the engine took but the JDBC store could not keep (long event
 * type lists, long custom headers, a long etag claim) was answered 503 STORE_UNAVAILABLE. It is refused with
 * a 400 now, nothing stored, and the largest lists allowed are stored whole.
 */
@MicronautTest(transactional = false)
class StoreLimitsApiTest extends ApiTestBase {

    @Test
    void eventTypeListsPastTheLimitAre400AndNotStored() {
        Api.Response r = api.post("/v1/endpoints", "{\"url\":\"" + receiver().url() + "\",\"eventTypes\":"
                + filters(100) + "}");

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("INVALID_EVENT_TYPE");
        assertThat(api.get("/v1/endpoints").json().path("items")).isEmpty();
    }

    @Test
    void customHeadersPastTheLimitAre400AndNotStored() {
        Api.Response r = api.post("/v1/endpoints", "{\"url\":\"" + receiver().url() + "\",\"headers\":" + headers(20, 1024)
                + "}");

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("INVALID_ARGUMENT");
        assertThat(api.get("/v1/endpoints").json().path("items")).isEmpty();
    }

    @Test
    void theLargestListsAllowedAreStoredWhole() {
        String id = createEndpoint("{\"url\":\"" + receiver().url() + "\",\"eventTypes\":" + filters(32)
                + ",\"headers\":" + headers(4, 1000) + "}").text("id");

        Api.Response got = api.get("/v1/endpoints/" + id);
        assertThat(got.json().path("eventTypes")).hasSize(32);
        assertThat(got.json().path("headers").path("X-H3").asText()).hasSize(1000);
    }

    @Test
    void aLongEtagClaimIs400AndTheUploadStaysAsItWas() {
        Api.Response signed = api.post("/v1/uploads/signed-url", "{\"filename\":\"a.txt\",\"contentType\":\"text/plain\","
                + "\"webhook\":{\"url\":\"" + receiver().url() + "\"}}");
        assertThat(signed.status()).as(signed.body()).isEqualTo(201);
        String token = signed.text("webhookToken");
        String before = api.get("/v1/webhooks/status/" + token).body();

        Api.Response r = api.post("/v1/webhooks/confirm", "{\"token\":\"" + token + "\",\"etag\":\"" + "a".repeat(2100) + "\"}");

        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo("INVALID_UPLOAD");
        assertThat(api.get("/v1/webhooks/status/" + token).body()).isEqualTo(before);
    }

    /** {@code count} filters of 124 characters each, as a JSON array. */
    private static String filters(int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add("\"" + String.format("t%03d.", i) + "a".repeat(117) + ".*\"");
        }
        return "[" + String.join(",", out) + "]";
    }

    private static String headers(int count, int valueLength) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add("\"X-H" + i + "\":\"" + "v".repeat(valueLength) + "\"");
        }
        return "{" + String.join(",", out) + "}";
    }
}
