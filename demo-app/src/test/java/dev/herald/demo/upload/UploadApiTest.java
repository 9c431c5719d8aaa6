package dev.herald.demo.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.demo.Api;
import dev.herald.demo.ApiTestBase;
import dev.herald.demo.storage.UploadStorage;
import dev.herald.engine.signing.WebhookVerifier;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.testing.TestReceiver;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/uploads} and {@code /v1/webhooks}: a signed URL, a real PUT to the embedded S3-compatible store,
 * the confirm, and exactly one signed {@code upload.completed}.
 */
@MicronautTest(transactional = false)
class UploadApiTest extends ApiTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient STORAGE = HttpClient.newHttpClient();

    @Inject
    DeliveryStore store;

    @Inject
    UploadStorage storage;

    @Test
    void uploadedFileIsConfirmedOnceAndAnnouncedSigned() throws Exception {
        TestReceiver receiver = receiver();
        byte[] file = "%PDF-1.7 twelve pages of report".getBytes(StandardCharsets.UTF_8);
        Api.Response signed = api.post("/v1/uploads/signed-url", "{\"filename\":\"report.pdf\","
                + "\"contentType\":\"application/pdf\",\"size\":" + file.length + ","
                + "\"webhook\":{\"url\":\"" + receiver.url() + "\",\"metadata\":{\"userId\":\"u_7\"}}}");

        assertThat(signed.status()).as(signed.body()).isEqualTo(201);
        JsonNode upload = signed.json();
        String token = upload.path("webhookToken").asText();
        String secret = upload.path("webhookSecret").asText();
        assertThat(token).startsWith("wh_");
        assertThat(secret).startsWith("whsec_");
        assertThat(upload.path("method").asText()).isEqualTo("PUT");
        assertThat(upload.path("uploadUrl").asText()).startsWith("http://127.0.0.1:");
        assertThat(upload.path("fileUrl").asText()).contains("/herald-demo/");
        assertThat(upload.path("expiresAt").asText()).isNotBlank();
        assertThat(upload.path("watchExpiresAt").asText()).isNotBlank();

        assertThat(put(upload, file)).isEqualTo(200);
        Api.Response confirmed = api.post("/v1/webhooks/confirm", "{\"token\":\"" + token + "\"}");

        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.text("status")).isEqualTo("VERIFIED");
        assertThat(confirmed.json().path("alreadyVerified").asBoolean()).isFalse();
        assertThat(confirmed.json().path("size").asLong()).isEqualTo(file.length);
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        TestReceiver.Received webhook = receiver.received().get(0);
        WebhookVerifier.builder().secret(secret).build().verify(webhook.headers()::get, webhook.body());
        JsonNode envelope = JSON.readTree(webhook.body());
        assertThat(envelope.path("type").asText()).isEqualTo("upload.completed");
        assertThat(envelope.path("data").path("webhookId").asText()).isEqualTo(token);
        assertThat(envelope.path("data").path("file").path("size").asLong()).isEqualTo(file.length);
        assertThat(envelope.path("data").path("file").path("filename").asText()).isEqualTo("report.pdf");
        assertThat(webhook.bodyText()).contains("\"userId\":\"u_7\"");

        Api.Response again = api.post("/v1/webhooks/confirm", "{\"token\":\"" + token + "\"}");

        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.text("status")).isEqualTo("VERIFIED");
        assertThat(again.json().path("alreadyVerified").asBoolean()).isTrue();
        await().atMost(WAIT).until(() -> "SUCCEEDED".equals(
                api.get("/v1/webhooks/status/" + token).json().path("deliveries").path(0).path("status").asText()));
        JsonNode status = api.get("/v1/webhooks/status/" + token).json();
        assertThat(status.path("status").asText()).isEqualTo("VERIFIED");
        assertThat(status.path("observedSize").asLong()).isEqualTo(file.length);
        assertThat(status.path("deliveries")).hasSize(1);
        assertThat(status.path("deliveries").get(0).path("eventType").asText()).isEqualTo("upload.completed");
        assertThat(status.path("deliveries").get(0).path("attempts").get(0).path("statusCode").asInt()).isEqualTo(200);
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void confirmWithoutAnUploadedFileIsRejected() {
        TestReceiver receiver = receiver();
        String endpointId = createEndpointFor(receiver);
        Api.Response signed = api.post("/v1/uploads/signed-url",
                "{\"filename\":\"a.png\",\"contentType\":\"image/png\",\"endpointId\":\"" + endpointId + "\"}");
        assertThat(signed.status()).as(signed.body()).isEqualTo(201);
        assertThat(signed.json().path("webhookSecret").isNull()).isTrue();

        Api.Response confirmed = api.post("/v1/webhooks/confirm",
                "{\"token\":\"" + signed.text("webhookToken") + "\"}");

        assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
        assertThat(confirmed.text("status")).isEqualTo("REJECTED");
        assertThat(confirmed.text("reason")).isEqualTo("OBJECT_MISSING");
        await().atMost(WAIT).until(() -> receiver.received().size() == 1);
        assertThat(receiver.received().get(0).bodyText()).contains("\"type\":\"upload.failed\"");
    }

    @Test
    void confirmRefusesMissingUnknownAndForeignTokens() {
        TestReceiver receiver = receiver();
        Api.Response signed = api.post("/v1/uploads/signed-url", "{\"filename\":\"a.txt\",\"contentType\":\"text/plain\","
                + "\"webhook\":{\"url\":\"" + receiver.url() + "\"}}");
        assertThat(signed.status()).as(signed.body()).isEqualTo(201);
        String token = signed.text("webhookToken");

        record Case(Api client, String path, String body, int status, String code) {
        }
        Api other = otherTenant();
        List<Case> cases = List.of(
                new Case(api, "/v1/webhooks/confirm", "{}", 400, "MISSING_WEBHOOK_TOKEN"),
                new Case(api, "/v1/webhooks/confirm", "{\"token\":\"  \"}", 400, "MISSING_WEBHOOK_TOKEN"),
                new Case(api, "/v1/webhooks/confirm", "{\"token\":\"wh_doesnotexist0000000000\"}", 404, "WEBHOOK_NOT_FOUND"),
                new Case(other, "/v1/webhooks/confirm", "{\"token\":\"" + token + "\"}", 404, "WEBHOOK_NOT_FOUND"),
                new Case(other, "/v1/webhooks/status/" + token, null, 404, "WEBHOOK_NOT_FOUND"),
                new Case(api, "/v1/webhooks/status/wh_doesnotexist0000000000", null, 404, "WEBHOOK_NOT_FOUND"));

        for (Case c : cases) {
            Api.Response r = c.body() == null ? c.client().get(c.path()) : c.client().post(c.path(), c.body());
            assertThat(r.status()).as(c + " -> " + r.body()).isEqualTo(c.status());
            assertThat(r.errorCode()).as(c + " -> " + r.body()).isEqualTo(c.code());
        }
        Api.Response mine = api.get("/v1/webhooks/status/" + token);
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.text("status")).as("the foreign confirm changed nothing").isEqualTo("AWAITING_UPLOAD");
        assertThat(receiver.calls()).isZero();
    }

    @Test
    void badFilenameOrKeyIsRefusedAndNothingIsStored() {
        TestReceiver receiver = receiver();
        String webhook = "\"webhook\":{\"url\":\"" + receiver.url() + "\"}";
        record Case(String body, String key) {
        }
        List<Case> cases = List.of(
                new Case("{\"filename\":\"../../etc/passwd\",\"contentType\":\"text/plain\",\"key\":\"../../etc/passwd\","
                        + webhook + "}", "../../etc/passwd"),
                new Case("{\"filename\":\"a.txt\",\"contentType\":\"text/plain\",\"key\":\"docs/../../a.txt\","
                        + webhook + "}", "docs/../../a.txt"),
                new Case("{\"filename\":\"a.txt\",\"contentType\":\"text/plain\",\"key\":\"/abs/a.txt\","
                        + webhook + "}", "/abs/a.txt"),
                new Case("{\"filename\":\"bad\\u0000name.txt\",\"contentType\":\"text/plain\",\"key\":\"ok/bad-name.txt\","
                        + webhook + "}", "ok/bad-name.txt"),
                new Case("{\"filename\":\"\",\"contentType\":\"text/plain\",\"key\":\"ok/empty-name.txt\","
                        + webhook + "}", "ok/empty-name.txt"));

        for (Case c : cases) {
            Api.Response r = api.post("/v1/uploads/signed-url", c.body());
            assertThat(r.status()).as(c.body() + " -> " + r.body()).isEqualTo(400);
            assertThat(r.errorCode()).as(c.body() + " -> " + r.body()).isEqualTo("INVALID_UPLOAD");
            assertThat(store.uploadsOf(storage.bucket(), c.key())).as(c.key()).isEmpty();
        }
        Api.Response batch = api.post("/v1/uploads/batch", "{\"files\":[{\"filename\":\"a.txt\",\"contentType\":"
                + "\"text/plain\",\"key\":\"ok/batch-a.txt\"},{\"filename\":\"b.txt\",\"contentType\":\"text/plain\","
                + "\"key\":\"../b.txt\"}]," + webhook + "}");
        assertThat(batch.status()).as(batch.body()).isEqualTo(400);
        assertThat(store.uploadsOf(storage.bucket(), "ok/batch-a.txt")).as("all or none").isEmpty();
        assertThat(receiver.calls()).isZero();
    }

    @Test
    void batchRegistersEveryFileUnderOneWebhook() throws Exception {
        TestReceiver receiver = receiver();
        Api.Response batch = api.post("/v1/uploads/batch", "{\"files\":[{\"filename\":\"a.txt\",\"contentType\":"
                + "\"text/plain\"},{\"filename\":\"b.txt\",\"contentType\":\"text/plain\"}],"
                + "\"webhook\":{\"url\":\"" + receiver.url() + "\",\"secret\":\"a-secret-of-sixteen-chars\"}}");

        assertThat(batch.status()).as(batch.body()).isEqualTo(201);
        JsonNode body = batch.json();
        assertThat(body.path("batchId").asText()).startsWith("batch_");
        assertThat(body.path("uploads")).hasSize(2);
        assertThat(body.path("webhookSecret").isNull()).as("a given secret is not echoed").isTrue();
        Iterator<JsonNode> uploads = body.path("uploads").elements();
        while (uploads.hasNext()) {
            JsonNode u = uploads.next();
            assertThat(u.path("batchId").asText()).isEqualTo(body.path("batchId").asText());
            assertThat(put(u, "hello".getBytes(StandardCharsets.UTF_8))).isEqualTo(200);
            assertThat(api.post("/v1/webhooks/confirm", "{\"token\":\"" + u.path("webhookToken").asText() + "\"}")
                    .text("status")).isEqualTo("VERIFIED");
        }
        await().atMost(WAIT).until(() -> receiver.received().stream()
                .anyMatch(r -> r.bodyText().contains("\"type\":\"batch.completed\"")));
        await().atMost(WAIT).until(() -> receiver.received().size() == 3);
        assertThat(receiver.received()).extracting(UploadApiTest::eventType)
                .containsExactlyInAnyOrder("upload.completed", "upload.completed", "batch.completed");
        WebhookVerifier verifier = WebhookVerifier.builder().secret("a-secret-of-sixteen-chars").build();
        receiver.received().forEach(r -> verifier.verify(r.headers()::get, r.body()));
    }

    @Test
    void notificationOfAnUnknownObjectIsAccepted() {
        Api.Response r = api.post("/v1/uploads/notifications",
                "{\"bucket\":\"" + storage.bucket() + "\",\"key\":\"nobody/watches.txt\",\"size\":3}");

        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(api.post("/v1/uploads/notifications", "{\"key\":\"k\"}").errorCode()).isEqualTo("INVALID_REQUEST");
    }

    private static String eventType(TestReceiver.Received webhook) {
        try {
            return JSON.readTree(webhook.body()).path("type").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** PUTs {@code body} to the upload's presigned URL with its headers, as a browser would. */
    private static int put(JsonNode upload, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(upload.path("uploadUrl").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        for (Iterator<Map.Entry<String, JsonNode>> it = upload.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            // The JDK client sets these itself from the body and the URL.
            if (!h.getKey().equalsIgnoreCase("content-length") && !h.getKey().equalsIgnoreCase("host")) {
                request.header(h.getKey(), h.getValue().asText());
            }
        }
        HttpResponse<String> response = STORAGE.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.statusCode();
    }
}
