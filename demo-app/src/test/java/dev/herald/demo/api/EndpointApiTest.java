package dev.herald.demo.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.demo.Api;
import dev.herald.demo.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code /v1/endpoints}: every route, its errors, and that no answer but two ever shows a secret. */
@MicronautTest(transactional = false)
class EndpointApiTest extends ApiTestBase {
    private static final String URL = "https://hooks.example.com/herald";

    @Test
    void createAnswers201WithTheSecretAndALocation() {
        Api.Response created = createEndpoint("""
                {"url":"%s","eventTypes":["document.completed","quota.*"],"description":"docs",
                 "headers":{"X-Team":"blue"},"enabled":true,"maxInFlight":4,"rateLimit":10}""".formatted(URL));

        JsonNode e = created.json();
        assertThat(e.path("id").asText()).startsWith("ep_");
        assertThat(created.header("location")).isEqualTo("/v1/endpoints/" + e.path("id").asText());
        assertThat(e.path("url").asText()).isEqualTo(URL);
        assertThat(e.path("eventTypes")).extracting(JsonNode::asText).containsExactly("document.completed", "quota.*");
        assertThat(e.path("description").asText()).isEqualTo("docs");
        assertThat(e.path("headers").path("X-Team").asText()).isEqualTo("blue");
        assertThat(e.path("enabled").asBoolean()).isTrue();
        assertThat(e.path("maxInFlight").asInt()).isEqualTo(4);
        assertThat(e.path("rateLimit").asInt()).isEqualTo(10);
        assertThat(e.path("secret").asText()).startsWith("whsec_");
        assertThat(e.path("createdAt").asText()).endsWith("Z");
    }

    @Test
    void createWithOnlyAUrlTakesTheDefaults() {
        JsonNode e = createEndpoint("{\"url\":\"" + URL + "\"}").json();

        assertThat(e.path("eventTypes").isArray()).isTrue();
        assertThat(e.path("eventTypes")).isEmpty();
        assertThat(e.path("enabled").asBoolean()).isTrue();
        assertThat(e.path("maxInFlight").asInt()).isZero();
        assertThat(e.path("previousSecretExpiresAt").isNull()).isTrue();
    }

    @Test
    void createKeepsAGivenSecretAndShowsItOnce() {
        Api.Response created = createEndpoint("{\"url\":\"" + URL + "\",\"secret\":\"my_webhook_secret_123\"}");

        assertThat(created.text("secret")).isEqualTo("my_webhook_secret_123");
        Api.Response got = api.get("/v1/endpoints/" + created.text("id"));
        assertThat(got.body()).doesNotContain("my_webhook_secret_123").doesNotContain("\"secret\"");
    }

    @Test
    void noAnswerAfterCreationShowsTheSecret() {
        String url = receiver().url();
        Api.Response created = createEndpoint("{\"url\":\"" + url + "\"}");
        String id = created.text("id");
        String secret = created.text("secret");

        List<Api.Response> answers = new ArrayList<>();
        answers.add(api.get("/v1/endpoints/" + id));
        answers.add(api.get("/v1/endpoints"));
        answers.add(api.put("/v1/endpoints/" + id, "{\"url\":\"" + url + "/v2\"}"));
        answers.add(api.post("/v1/endpoints/" + id + "/disable"));
        answers.add(api.post("/v1/endpoints/" + id + "/enable"));
        answers.add(api.post("/v1/endpoints/" + id + "/test"));
        answers.add(api.post("/v1/endpoints/" + id + "/replay"));

        for (Api.Response answer : answers) {
            assertThat(answer.status()).as(answer.body()).isBetween(200, 299);
            assertThat(answer.body()).doesNotContain(secret).doesNotContain("whsec_").doesNotContain("\"secret\"");
        }
    }

    @Test
    void getAnswersTheEndpoint() {
        String id = createEndpoint("{\"url\":\"" + URL + "\",\"description\":\"d\"}").text("id");

        Api.Response got = api.get("/v1/endpoints/" + id);

        assertThat(got.status()).isEqualTo(200);
        assertThat(got.text("id")).isEqualTo(id);
        assertThat(got.text("description")).isEqualTo("d");
    }

    @Test
    void listPagesWithACursorNewestFirst() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(createEndpoint("{\"url\":\"" + URL + "/" + i + "\"}").text("id"));
        }

        Api.Response first = api.get("/v1/endpoints?limit=2");
        Api.Response second = api.get("/v1/endpoints?limit=2&cursor=" + first.text("nextCursor"));
        Api.Response third = api.get("/v1/endpoints?limit=2&cursor=" + second.text("nextCursor"));

        List<String> seen = new ArrayList<>();
        for (Api.Response page : List.of(first, second, third)) {
            assertThat(page.status()).isEqualTo(200);
            page.json().path("data").forEach(e -> seen.add(e.path("id").asText()));
        }
        java.util.Collections.reverse(ids);
        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(third.json().path("nextCursor").isNull()).isTrue();
        assertThat(api.get("/v1/endpoints").json().path("data")).hasSize(5);
    }

    @Test
    void listRefusesBadPagingParameters() {
        assertThat(api.get("/v1/endpoints?limit=0").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(api.get("/v1/endpoints?limit=1001").errorCode()).isEqualTo("INVALID_REQUEST");
        Api.Response notANumber = api.get("/v1/endpoints?limit=many");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(notANumber.json().path("error").path("message").asText()).contains("limit");
        assertThat(api.get("/v1/endpoints?cursor=not-a-cursor").status()).isEqualTo(400);
    }

    @Test
    void putReplacesTheSettingsAndKeepsTheSecretAndTheEnabledState() {
        TestReceiverPair pair = new TestReceiverPair();
        Api.Response created = createEndpoint("{\"url\":\"" + pair.first + "\",\"description\":\"old\"}");
        String id = created.text("id");
        api.post("/v1/endpoints/" + id + "/disable");

        Api.Response updated = api.put("/v1/endpoints/" + id, """
                {"url":"%s","eventTypes":["quota.warning"],"description":"new","headers":{"X-A":"1"}}"""
                .formatted(pair.second));

        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        JsonNode e = updated.json();
        assertThat(e.path("url").asText()).isEqualTo(pair.second);
        assertThat(e.path("description").asText()).isEqualTo("new");
        assertThat(e.path("eventTypes")).extracting(JsonNode::asText).containsExactly("quota.warning");
        assertThat(e.path("headers").path("X-A").asText()).isEqualTo("1");
        assertThat(e.path("enabled").asBoolean()).as("absent enabled keeps the state").isFalse();
        assertThat(e.path("createdAt").asText()).isEqualTo(created.text("createdAt"));

        Api.Response reenabled = api.put("/v1/endpoints/" + id, "{\"url\":\"" + pair.second + "\",\"enabled\":true}");
        assertThat(reenabled.json().path("enabled").asBoolean()).isTrue();
    }

    @Test
    void putAndCreateRefuseBadInputAndStoreNothing() {
        String id = createEndpoint("{\"url\":\"" + URL + "\",\"description\":\"kept\"}").text("id");

        assertThat(api.put("/v1/endpoints/" + id, "{\"url\":\"ftp://example.com\"}").errorCode()).isEqualTo("INVALID_URL");
        assertThat(api.put("/v1/endpoints/" + id, "{\"description\":\"no url\"}").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(api.get("/v1/endpoints/" + id).text("description")).isEqualTo("kept");
        assertThat(api.get("/v1/endpoints").json().path("data")).hasSize(1);
    }

    @Test
    void createRefusesEachKindOfBadField() {
        record Case(String body, int status, String code) {
        }
        List<Case> cases = List.of(
                new Case("{}", 400, "INVALID_REQUEST"),
                new Case("{\"url\":null}", 400, "INVALID_REQUEST"),
                new Case("{\"url\":\"not a url\"}", 400, "INVALID_URL"),
                new Case("{\"url\":\"ftp://example.com/x\"}", 400, "INVALID_URL"),
                new Case("{\"url\":\"https://user:pw@example.com/x\"}", 400, "INVALID_URL"),
                new Case("{\"url\":\"" + URL + "\",\"eventTypes\":[\"Not A Type\"]}", 400, "INVALID_EVENT_TYPE"),
                new Case("{\"url\":\"" + URL + "\",\"eventTypes\":[\"never.declared\"]}", 400, "INVALID_EVENT_TYPE"),
                new Case("{\"url\":\"" + URL + "\",\"secret\":\"short\"}", 400, "INVALID_SECRET"),
                new Case("{\"url\":\"" + URL + "\",\"secret\":\"whsec_!!!\"}", 400, "INVALID_SECRET"),
                new Case("{\"url\":\"" + URL + "\",\"headers\":{\"Content-Type\":\"x\"}}", 400, "INVALID_ARGUMENT"),
                new Case("{\"url\":\"" + URL + "\",\"headers\":{\"bad name\":\"x\"}}", 400, "INVALID_ARGUMENT"),
                new Case("{\"url\":\"" + URL + "\",\"maxInFlight\":-1}", 400, "INVALID_ARGUMENT"),
                new Case("{\"url\":\"" + URL + "\",\"rateLimit\":1000000}", 400, "INVALID_ARGUMENT"),
                new Case("{\"url\":\"" + URL + "\",\"description\":\"" + "x".repeat(1001) + "\"}", 400, "INVALID_ARGUMENT"),
                // wrong JSON types are refused, never coerced
                new Case("{\"url\":12}", 400, "INVALID_REQUEST"),
                new Case("{\"url\":\"" + URL + "\",\"enabled\":\"yes\"}", 400, "INVALID_REQUEST"),
                new Case("{\"url\":\"" + URL + "\",\"maxInFlight\":\"5\"}", 400, "INVALID_REQUEST"),
                new Case("{\"url\":\"" + URL + "\",\"maxInFlight\":1.5}", 400, "INVALID_REQUEST"),
                new Case("{\"url\":\"" + URL + "\",\"maxInFlight\":99999999999}", 400, "INVALID_REQUEST"),
                new Case("{\"url\":\"" + URL + "\",\"eventTypes\":\"quota.warning\"}", 400, "INVALID_REQUEST"),
                new Case("{\"url\":\"" + URL + "\",\"eventTypes\":[1]}", 400, "INVALID_REQUEST"),
                new Case("{\"url\":\"" + URL + "\",\"headers\":{\"X-A\":1}}", 400, "INVALID_REQUEST"),
                new Case("{\"url\":\"" + URL + "\",\"headers\":[]}", 400, "INVALID_REQUEST"),
                new Case("{\"url\":\"" + URL + "\",\"colour\":\"red\"}", 400, "INVALID_REQUEST"),
                new Case("[]", 400, "INVALID_REQUEST"),
                new Case("\"just a string\"", 400, "INVALID_REQUEST"),
                new Case("{\"url\":", 400, "INVALID_REQUEST"),
                new Case("{\"url\":\"" + URL + "\"} trailing", 400, "INVALID_REQUEST"));

        for (Case c : cases) {
            Api.Response r = api.post("/v1/endpoints", c.body());
            assertThat(r.status()).as(c.body() + " -> " + r.body()).isEqualTo(c.status());
            assertThat(r.errorCode()).as(c.body() + " -> " + r.body()).isEqualTo(c.code());
            assertThat(r.json().path("error").path("message").asText()).isNotBlank();
        }
        assertThat(api.get("/v1/endpoints").json().path("data")).as("nothing was stored").isEmpty();
    }

    @Test
    void unknownFieldIsNamedInTheMessage() {
        Api.Response r = api.post("/v1/endpoints", "{\"url\":\"" + URL + "\",\"colour\":\"red\"}");

        assertThat(r.json().path("error").path("message").asText()).isEqualTo("unknown field: colour");
    }

    @Test
    void strictPolicyIsOffOnlyInTheTestEnvironment() {
        // The test environment allows http and loopback receivers; the rest of the URL rules still hold.
        assertThat(api.post("/v1/endpoints", "{\"url\":\"http://127.0.0.1:9/x\"}").status()).isEqualTo(201);
        assertThat(api.post("/v1/endpoints", "{\"url\":\"http://2130706433/x\"}").errorCode()).isEqualTo("INVALID_URL");
    }

    @Test
    void deleteAnswers204ThenTheEndpointIsGone() {
        String id = createEndpoint("{\"url\":\"" + URL + "\"}").text("id");

        Api.Response deleted = api.delete("/v1/endpoints/" + id);

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(api.get("/v1/endpoints/" + id).errorCode()).isEqualTo("ENDPOINT_NOT_FOUND");
        assertThat(api.delete("/v1/endpoints/" + id).status()).isEqualTo(404);
    }

    @Test
    void disableAndEnableFlipTheState() {
        String id = createEndpoint("{\"url\":\"" + URL + "\"}").text("id");

        Api.Response disabled = api.post("/v1/endpoints/" + id + "/disable");
        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.json().path("enabled").asBoolean()).isFalse();
        assertThat(api.get("/v1/endpoints/" + id).json().path("enabled").asBoolean()).isFalse();

        Api.Response enabled = api.post("/v1/endpoints/" + id + "/enable");
        assertThat(enabled.json().path("enabled").asBoolean()).isTrue();
    }

    @Test
    void rotateShowsTheNewSecretOnceAndTheGraceOfTheOldOne() {
        Api.Response created = createEndpoint("{\"url\":\"" + URL + "\"}");
        String id = created.text("id");

        Api.Response rotated = api.post("/v1/endpoints/" + id + "/rotate-secret", "{\"graceSeconds\":3600}");

        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        assertThat(rotated.text("secret")).startsWith("whsec_").isNotEqualTo(created.text("secret"));
        assertThat(rotated.text("previousSecretExpiresAt")).isNotNull();
        Api.Response got = api.get("/v1/endpoints/" + id);
        assertThat(got.text("previousSecretExpiresAt")).isEqualTo(rotated.text("previousSecretExpiresAt"));
        assertThat(got.body()).doesNotContain(rotated.text("secret")).doesNotContain(created.text("secret"));
    }

    @Test
    void rotateWithoutABodyUsesADayOfGrace() {
        String id = createEndpoint("{\"url\":\"" + URL + "\"}").text("id");

        Api.Response rotated = api.post("/v1/endpoints/" + id + "/rotate-secret");

        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        java.time.Instant until = java.time.Instant.parse(rotated.text("previousSecretExpiresAt"));
        assertThat(until).isBetween(java.time.Instant.now().plusSeconds(86_000), java.time.Instant.now().plusSeconds(86_401));
    }

    @Test
    void rotateRefusesABadGrace() {
        String id = createEndpoint("{\"url\":\"" + URL + "\"}").text("id");

        assertThat(api.post("/v1/endpoints/" + id + "/rotate-secret", "{\"graceSeconds\":-1}").errorCode())
                .isEqualTo("INVALID_ARGUMENT");
        assertThat(api.post("/v1/endpoints/" + id + "/rotate-secret", "{\"graceSeconds\":604801}").errorCode())
                .isEqualTo("INVALID_ARGUMENT");
        assertThat(api.post("/v1/endpoints/" + id + "/rotate-secret", "{\"graceSeconds\":\"soon\"}").errorCode())
                .isEqualTo("INVALID_REQUEST");
        assertThat(api.post("/v1/endpoints/" + id + "/rotate-secret", "{\"grace\":1}").errorCode())
                .isEqualTo("INVALID_REQUEST");
    }

    @Test
    void everyRouteAnswers404ForMissingAndMalformedIds() {
        for (String id : List.of("ep_01ARZ3NDEKTSV4RRFFQ69G5FAV", "ep_nope", "dlv_01ARZ3NDEKTSV4RRFFQ69G5FAV", "%20")) {
            assertThat(api.get("/v1/endpoints/" + id).errorCode()).as(id).isEqualTo("ENDPOINT_NOT_FOUND");
            assertThat(api.put("/v1/endpoints/" + id, "{\"url\":\"" + URL + "\"}").errorCode()).isEqualTo("ENDPOINT_NOT_FOUND");
            assertThat(api.delete("/v1/endpoints/" + id).errorCode()).isEqualTo("ENDPOINT_NOT_FOUND");
            for (String action : List.of("disable", "enable", "rotate-secret", "test", "replay")) {
                Api.Response r = api.post("/v1/endpoints/" + id + "/" + action);
                assertThat(r.status()).as(action + " " + id).isEqualTo(404);
                assertThat(r.errorCode()).isEqualTo("ENDPOINT_NOT_FOUND");
            }
        }
    }

    @Test
    void anotherTenantSeesNothingAndChangesNothing() {
        String id = createEndpoint("{\"url\":\"" + URL + "\"}").text("id");
        Api other = otherTenant();

        assertThat(other.get("/v1/endpoints/" + id).status()).isEqualTo(404);
        assertThat(other.put("/v1/endpoints/" + id, "{\"url\":\"" + URL + "/evil\"}").status()).isEqualTo(404);
        assertThat(other.delete("/v1/endpoints/" + id).status()).isEqualTo(404);
        for (String action : List.of("disable", "enable", "rotate-secret", "test", "replay")) {
            Api.Response r = other.post("/v1/endpoints/" + id + "/" + action);
            assertThat(r.status()).as(action).isEqualTo(404);
            assertThat(r.errorCode()).isEqualTo("ENDPOINT_NOT_FOUND");
        }
        assertThat(other.get("/v1/endpoints").json().path("data")).isEmpty();

        Api.Response mine = api.get("/v1/endpoints/" + id);
        assertThat(mine.text("url")).isEqualTo(URL);
        assertThat(mine.json().path("enabled").asBoolean()).isTrue();
        assertThat(mine.json().path("previousSecretExpiresAt").isNull()).isTrue();
    }

    /** Two distinct receiver-like URLs (nothing listens; only settings are compared). */
    private static final class TestReceiverPair {
        final String first = URL + "/a";
        final String second = URL + "/b";
    }
}
