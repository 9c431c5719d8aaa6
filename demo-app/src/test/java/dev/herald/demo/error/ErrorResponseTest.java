package dev.herald.demo.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.demo.Api;
import dev.herald.demo.ApiTestBase;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.MediaType;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a caller sees when the request is wrong or the server fails: always the JSON error shape. */
@MicronautTest(transactional = false)
class ErrorResponseTest extends ApiTestBase {
    @Inject
    EmbeddedServer server;

    /** Every error body is exactly {"error":{"code","message"}}, with no trace of Java. */
    private static void assertErrorShape(Api.Response r) {
        assertThat(r.header("content-type")).as(r.body()).startsWith("application/json");
        JsonNode json = r.json();
        assertThat(json.size()).as(r.body()).isEqualTo(1);
        JsonNode error = json.path("error");
        assertThat(error.size()).as(r.body()).isEqualTo(2);
        assertThat(error.path("code").asText()).matches("[A-Z_0-9]+");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.").doesNotContain("io.micronaut")
                .doesNotContain("java.");
    }

    @Test
    void missingOrUnknownKeysAre401() {
        List<Api.Response> answers = List.of(
                api.as(null).get("/v1/endpoints"),
                api.as("hk_" + "A".repeat(43)).get("/v1/endpoints"),
                api.as("").get("/v1/endpoints"),
                api.as(null).send(HttpMethod.GET, "/v1/endpoints", null, null, Map.of("Authorization", "Basic YTpi")),
                api.as(null).post("/v1/events", "{\"type\":\"quota.warning\",\"data\":{}}"),
                api.as(null).get("/v1/no-such-route"));

        for (Api.Response r : answers) {
            assertThat(r.status()).as(r.body()).isEqualTo(401);
            assertThat(r.errorCode()).isEqualTo("UNAUTHORIZED");
            assertThat(r.header("www-authenticate")).isEqualTo("Bearer");
            assertErrorShape(r);
        }
    }

    @Test
    void unknownRoutesAre404Json() {
        for (Api.Response r : List.of(api.get("/v1/no-such-route"), api.get("/nothing/here"),
                api.send(HttpMethod.GET, "/nothing", null, null, Map.of("Accept", "text/html")))) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.errorCode()).isEqualTo("NOT_FOUND");
            assertErrorShape(r);
        }
    }

    @Test
    void wrongMethodsAre405Json() {
        String id = createEndpoint("{\"url\":\"https://hooks.example.com/x\"}").text("id");
        for (Api.Response r : List.of(api.delete("/v1/events"), api.send(HttpMethod.PATCH, "/v1/endpoints/" + id,
                "{}", MediaType.APPLICATION_JSON), api.get("/v1/endpoints/" + id + "/rotate-secret"))) {
            assertThat(r.status()).as(r.body()).isEqualTo(405);
            assertThat(r.errorCode()).isEqualTo("METHOD_NOT_ALLOWED");
            assertErrorShape(r);
        }
    }

    @Test
    void bodiesThatAreNotJsonAre415() {
        Api.Response r = api.send(HttpMethod.POST, "/v1/endpoints", "url=https://x", MediaType.TEXT_PLAIN);

        assertThat(r.status()).isEqualTo(415);
        assertThat(r.errorCode()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertErrorShape(r);
    }

    @Test
    void bodiesInACharsetTheServerDoesNotHaveAre415() throws Exception {
        // Issue 8, found by the bad-input drill: a charset the JVM does not know was answered 500.
        // The application's test client will not write such a body, the JDK's does.
        HttpClient client = HttpClient.newHttpClient();
        for (String type : List.of("application/json; charset=nonsense", "application/json; charset=utf-99",
                "application/json; charset=@@", "application/json; charset=")) {
            HttpResponse<String> answer = client.send(java.net.http.HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.getPort() + "/v1/endpoints"))
                    .header("Authorization", "Bearer " + apiKeys.issue(tenant, "charset")).header("Content-Type", type)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"url\":\"https://hooks.example.com/x\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            Api.Response r = new Api.Response(answer.statusCode(), answer.body(),
                    Map.of("content-type", answer.headers().firstValue("content-type").orElse("")));

            assertThat(r.status()).as(type).isEqualTo(415);
            assertThat(r.errorCode()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
            assertErrorShape(r);
        }
        assertThat(api.get("/v1/endpoints").json().path("items")).isEmpty();
    }

    @Test
    void bodiesThatAreNotWhatTheirContentEncodingSaysAre400() {
        // Issue 8, found by the bad-input drill: a plain body sent as gzip was answered 500.
        for (String encoding : List.of("gzip", "deflate")) {
            Api.Response r = api.send(HttpMethod.POST, "/v1/endpoints", "{\"url\":\"https://hooks.example.com/x\"}",
                    MediaType.APPLICATION_JSON, Map.of("Content-Encoding", encoding));

            assertThat(r.status()).as(encoding + ": " + r.body()).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("INVALID_REQUEST");
            assertErrorShape(r);
        }
        assertThat(api.get("/v1/endpoints").json().path("items")).isEmpty();
    }

    @Test
    void missingBodiesAre400() {
        for (String path : List.of("/v1/endpoints", "/v1/events")) {
            Api.Response r = api.send(HttpMethod.POST, path, null, MediaType.APPLICATION_JSON);
            assertThat(r.status()).as(path + " " + r.body()).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("INVALID_REQUEST");
            assertErrorShape(r);
        }
    }

    @Test
    void oversizedBodiesAre413AndStoreNothing() {
        String huge = "{\"url\":\"https://hooks.example.com/x\",\"description\":\"" + "a".repeat(2 * 1024 * 1024) + "\"}";

        for (String path : List.of("/v1/endpoints", "/v1/events")) {
            Api.Response r = api.post(path, huge);
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.errorCode()).isEqualTo("PAYLOAD_TOO_LARGE");
            assertErrorShape(r);
        }
        assertThat(api.get("/v1/endpoints").json().path("data")).isEmpty();
        assertThat(api.get("/v1/deliveries").json().path("data")).isEmpty();
    }

    @Test
    void malformedJsonIs400WithoutParserDetails() {
        for (String body : List.of("{", "{\"url\":}", "nul", "{'url':'x'}", "{\"url\":\"x\"}}", "\u0000")) {
            Api.Response r = api.post("/v1/endpoints", body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.errorCode()).isEqualTo("INVALID_REQUEST");
            assertErrorShape(r);
            assertThat(r.body()).doesNotContain("line:").doesNotContain("column");
        }
        assertThat(api.get("/v1/endpoints").json().path("data")).isEmpty();
    }

    @Test
    void oddPathsAndParametersNeverGive500() {
        String id = createEndpoint("{\"url\":\"https://hooks.example.com/x\"}").text("id");
        List<Api.Response> answers = new ArrayList<>();
        answers.add(api.get("/v1/endpoints/" + "x".repeat(3000)));
        answers.add(api.get("/v1/endpoints/%00"));
        answers.add(api.get("/v1/endpoints/..%2F..%2Fetc"));
        answers.add(api.get("/v1/endpoints/%C3%A9"));
        answers.add(api.get("/v1/endpoints?limit=-5"));
        answers.add(api.get("/v1/endpoints?limit=99999999999999"));
        answers.add(api.get("/v1/endpoints?limit=1.5"));
        answers.add(api.get("/v1/deliveries?status=%00"));
        answers.add(api.get("/v1/deliveries?endpointId=" + "e".repeat(500)));
        answers.add(api.post("/v1/endpoints/" + id + "/rotate-secret", "{\"graceSeconds\":1e400}"));
        answers.add(api.post("/v1/endpoints/" + id + "/rotate-secret", "{\"graceSeconds\":99999999999999999999999}"));
        answers.add(api.post("/v1/endpoints/" + id + "/rotate-secret", "{\"graceSeconds\":9223372036854775807}"));
        answers.add(api.post("/v1/endpoints", "{\"url\":\"https://x.example.com\",\"headers\":{\"X-A\":\"a\\r\\nB: c\"}}"));
        answers.add(api.post("/v1/endpoints", "{\"url\":\"https://" + "a".repeat(3000) + ".com\"}"));
        answers.add(api.post("/v1/events", "{\"type\":\"quota.warning\",\"data\":{\"deep\":" + "[".repeat(2000)
                + "]".repeat(2000) + "}}"));
        answers.add(api.post("/v1/events", "{\"type\":\"quota.warning\",\"data\":{},\"idempotencyKey\":\"" + "k".repeat(300) + "\"}"));

        for (Api.Response r : answers) {
            assertThat(r.status()).as(r.body()).isBetween(400, 499);
            assertErrorShape(r);
        }
    }

    @Test
    void unexpectedFailuresAre500WithNoDetail() {
        for (String path : List.of("/v1/test-only/bug", "/v1/test-only/error")) {
            Api.Response r = api.get(path);

            assertThat(r.status()).isEqualTo(500);
            assertThat(r.errorCode()).isEqualTo("INTERNAL");
            assertThat(r.json().path("error").path("message").asText()).isEqualTo("internal error");
            assertThat(r.body()).doesNotContain(FailingController.DETAIL).doesNotContain("IllegalState");
            assertErrorShape(r);
        }
    }
}
