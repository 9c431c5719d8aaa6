package dev.herald.engine.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.engine.model.Upload;
import dev.herald.engine.model.UploadStatus;
import dev.herald.engine.model.UploadTrigger;
import dev.herald.engine.spi.ObjectHead;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PayloadsTest {
    static final Instant T = Instant.parse("2026-03-04T05:06:07Z");
    static final URI URL = URI.create("https://b.example/k%20x");

    static Upload upload(String metadata, String batchId) {
        return new Upload("wh_01ARZ3NDEKTSV4RRFFQ69G5FAV", "acme", batchId, "r2", "b", "k x", "k x.png", "image/png",
                10L, Set.of(UploadTrigger.CLIENT_CONFIRM), "ep_1", metadata, UploadStatus.VERIFIED, T, T, null, 2, 10L,
                "abc", T, null, T, T, 4);
    }

    @Test
    void completedCarriesTheFileAndTheMetadataVerbatim() throws Exception {
        String metadata = "{ \"n\" : 1.50, \"s\" : \"é\\u00e9\", \"deep\": {\"a\": [true, null]} }";
        String json = Payloads.completed(upload(metadata, null), new ObjectHead.Found(10, "abc", "image/png", T), URL,
                T.plusSeconds(1));

        assertThat(json).endsWith("\"metadata\":" + metadata + "}");
        JsonNode data = new ObjectMapper().readTree(json);
        assertThat(data.path("webhookId").asText()).isEqualTo("wh_01ARZ3NDEKTSV4RRFFQ69G5FAV");
        assertThat(data.path("uploadedAt").asText()).isEqualTo("2026-03-04T05:06:07Z");
        assertThat(data.path("provider").asText()).isEqualTo("r2");
        assertThat(data.path("file").path("url").asText()).isEqualTo("https://b.example/k%20x");
        assertThat(data.path("file").path("lastModified").asText()).isEqualTo("2026-03-04T05:06:07Z");
        assertThat(data.has("batchId")).isFalse();
        assertThat(Payloads.isJsonObject(json)).isTrue();
    }

    @Test
    void uploadedAtFallsBackToNowWithoutLastModified() throws Exception {
        String json = Payloads.completed(upload("{}", "batch_1"), new ObjectHead.Found(10, "abc", null, null), URL,
                T.plusSeconds(9));

        JsonNode data = new ObjectMapper().readTree(json);
        assertThat(data.path("uploadedAt").asText()).isEqualTo("2026-03-04T05:06:16Z");
        assertThat(data.path("file").path("contentType").asText()).isEqualTo("image/png");
        assertThat(data.path("file").path("lastModified").isNull()).isTrue();
        assertThat(data.path("batchId").asText()).isEqualTo("batch_1");
    }

    @Test
    void failedNamesTheReasonAndWhatWasExpected() throws Exception {
        JsonNode data = new ObjectMapper().readTree(Payloads.failed(upload("{}", null), RejectionReason.ETAG_MISMATCH,
                "differs", new ObjectHead.Found(10, "abc", "image/png", null), "zzz", URL));

        assertThat(data.path("reason").asText()).isEqualTo("ETAG_MISMATCH");
        assertThat(data.path("file").path("etag").asText()).isEqualTo("abc");
        assertThat(data.path("expected").path("etag").asText()).isEqualTo("zzz");
        assertThat(data.path("expected").path("size").asLong()).isEqualTo(10);
    }

    @Test
    void batchCompletedCountsOutcomes() throws Exception {
        Upload ok = upload("{}", "batch_1");
        Upload bad = new Upload("wh_2", "acme", "batch_1", "r2", "b", "k2", "f2", "image/png", null, Set.of(), "ep_1",
                "{}", UploadStatus.REJECTED, T, T, null, 1, null, null, null, "OBJECT_MISSING", T, T, 2);

        JsonNode data = new ObjectMapper().readTree(Payloads.batchCompleted("batch_1", List.of(ok, bad), T, true));

        assertThat(data.path("total").asInt()).isEqualTo(2);
        assertThat(data.path("verified").asInt()).isEqualTo(1);
        assertThat(data.path("rejected").asInt()).isEqualTo(1);
        assertThat(data.path("uploads").get(0).path("etag").asText()).isEqualTo("abc");
        assertThat(data.path("uploads").get(1).path("reason").asText()).isEqualTo("OBJECT_MISSING");
    }

    @Test
    void leanBatchCompletedLeavesOutNamesAndKeys() throws Exception {
        JsonNode data = new ObjectMapper().readTree(Payloads.batchCompleted("batch_1", List.of(upload("{}", "batch_1")),
                T, false));

        assertThat(data.path("uploads").get(0).has("key")).isFalse();
        assertThat(data.path("uploads").get(0).has("filename")).isFalse();
        assertThat(data.path("uploads").get(0).path("webhookId").asText()).startsWith("wh_");
    }

    @Test
    void onlyOneJsonObjectCountsAsMetadata() {
        assertThat(Payloads.isJsonObject("{}")).isTrue();
        assertThat(Payloads.isJsonObject("{\"a\":{\"a\":1}}")).isTrue();
        assertThat(Payloads.isJsonObject("{\"a\":1,\"a\":1}")).isFalse();
        assertThat(Payloads.isJsonObject("[]")).isFalse();
        assertThat(Payloads.isJsonObject("null")).isFalse();
        assertThat(Payloads.isJsonObject("")).isFalse();
        assertThat(Payloads.isJsonObject("{}x")).isFalse();
    }

    @Test
    void longKeysGetAHashedIdempotencyKey() {
        assertThat(Transitions.completedKey("b", "k", "\"ABC\"")).isEqualTo("upload.completed:b/k#abc");
        String hashed = Transitions.completedKey("b", "k".repeat(1000), "abc");
        assertThat(hashed).startsWith("upload.completed:sha256:").hasSize("upload.completed:sha256:".length() + 64);
        assertThat(Transitions.completedKey("b", "k".repeat(1000), "abd")).isNotEqualTo(hashed);
    }
}
