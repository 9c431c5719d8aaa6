package dev.herald.engine.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.herald.engine.EndpointRequest;
import dev.herald.engine.ErrorCode;
import dev.herald.engine.Herald;
import dev.herald.engine.HeraldException;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.UploadTrigger;
import dev.herald.engine.s3.S3Storage;
import dev.herald.engine.s3.S3UploadSigner;
import dev.herald.engine.s3.S3Uploads;
import dev.herald.engine.spi.ObjectHead;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every refusal of a registration: the right code, a message that names the problem, and nothing stored,
 * neither the upload nor its ad-hoc endpoint. Signing is local, so no storage server is needed; the verifier
 * is never called.
 */
class RegistrationRefusalTest {
    static final String TENANT = "acme";
    static final String HOOK = "https://hooks.example.com/uploads";
    static final String SECRET = "a-long-enough-secret";

    final CountingStore store = new CountingStore();
    final S3UploadSigner signer = S3UploadSigner.create(S3Storage.awsS3("eu-west-1")
            .credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").build());
    Herald herald;
    Endpoint otherTenantsEndpoint;

    @BeforeEach
    void build() {
        UploadSettings settings = UploadSettings.builder().signer(S3Uploads.signer(signer))
                .verifier((bucket, key) -> new ObjectHead.Unavailable("not used"))
                .defaultBucket("uploads").allowedContentTypes("image/*", "application/pdf")
                .maxSize(1024 * 1024).build();
        herald = Herald.builder().store(store).urlPolicy(UrlPolicy.permissive()).uploads(settings).build();
        otherTenantsEndpoint = herald.createEndpoint("other", EndpointRequest.of(HOOK));
        store.endpointInserts.set(0);
    }

    @AfterEach
    void close() {
        herald.close();
        signer.close();
    }

    static UploadRequest ok() {
        return UploadRequest.of("cat.png", "image/png").withWebhook(UploadWebhook.adHoc(HOOK, SECRET));
    }

    static Arguments refused(String name, UnaryOperator<UploadRequest> change, ErrorCode code, String message) {
        return Arguments.of(name, change, code, message);
    }

    static Stream<Arguments> badRequests() {
        return Stream.of(
                refused("traversal key", r -> r.withKey("../etc/passwd"), ErrorCode.INVALID_UPLOAD, "'..'"),
                refused("traversal inside key", r -> r.withKey("a/b/../../c.png"), ErrorCode.INVALID_UPLOAD, "'..'"),
                refused("backslash traversal", r -> r.withKey("a\\..\\c.png"), ErrorCode.INVALID_UPLOAD, "'..'"),
                refused("dot segment", r -> r.withKey("a/./c.png"), ErrorCode.INVALID_UPLOAD, "'.'"),
                refused("leading slash", r -> r.withKey("/etc/cat.png"), ErrorCode.INVALID_UPLOAD, "start with '/'"),
                refused("control character in key", r -> r.withKey("a\u0000b.png"), ErrorCode.INVALID_UPLOAD,
                        "control characters"),
                refused("newline in key", r -> r.withKey("a\nb.png"), ErrorCode.INVALID_UPLOAD, "control characters"),
                refused("key over 1024 bytes", r -> r.withKey("k".repeat(1000) + "é".repeat(13)), ErrorCode.INVALID_UPLOAD,
                        "1024 bytes"),
                refused("empty key", r -> r.withKey(""), ErrorCode.INVALID_UPLOAD, "empty"),
                refused("key in the generated namespace", r -> r.withKey("uploads/wh_x/cat.png"),
                        ErrorCode.INVALID_UPLOAD, "generated keys"),
                refused("metadata over the limit", r -> r.withMetadata("{\"a\":\"" + "x".repeat(4100) + "\"}"),
                        ErrorCode.PAYLOAD_TOO_LARGE, "4096"),
                refused("metadata not an object", r -> r.withMetadata("[1,2]"), ErrorCode.INVALID_PAYLOAD, "JSON object"),
                refused("metadata not JSON", r -> r.withMetadata("{oops"), ErrorCode.INVALID_PAYLOAD, "JSON object"),
                refused("metadata with trailing junk", r -> r.withMetadata("{} {}"), ErrorCode.INVALID_PAYLOAD,
                        "JSON object"),
                refused("metadata with duplicate keys", r -> r.withMetadata("{\"a\":1,\"a\":2}"),
                        ErrorCode.INVALID_PAYLOAD, "duplicate"),
                refused("url expiry too short", r -> r.withExpiry(Duration.ofSeconds(59), null), ErrorCode.INVALID_UPLOAD,
                        "urlExpiry must be within"),
                refused("url expiry too long", r -> r.withExpiry(Duration.ofDays(7).plusSeconds(1), null),
                        ErrorCode.INVALID_UPLOAD, "urlExpiry must be within"),
                refused("watch expiry too long", r -> r.withExpiry(null, Duration.ofDays(8)), ErrorCode.INVALID_UPLOAD,
                        "watchExpiry must be within"),
                refused("watch shorter than url", r -> r.withExpiry(Duration.ofHours(2), Duration.ofHours(1)),
                        ErrorCode.INVALID_UPLOAD, "must not be shorter"),
                refused("content type not allowed", r -> new UploadRequest("x.html", "text/html", null, null, null, null,
                        null, null, r.webhook(), null), ErrorCode.INVALID_UPLOAD, "not allowed"),
                refused("malformed content type", r -> new UploadRequest("x.png", "image/png\r\nX-Evil: 1", null, null,
                        null, null, null, null, r.webhook(), null), ErrorCode.INVALID_UPLOAD, "media type"),
                refused("size over the limit", r -> r.withExpectedSize(1024L * 1024 + 1), ErrorCode.INVALID_UPLOAD,
                        "expectedSize must be within"),
                refused("negative size", r -> r.withExpectedSize(-1L), ErrorCode.INVALID_UPLOAD,
                        "expectedSize must be within"),
                refused("blank file name", r -> new UploadRequest(" ", "image/png", null, null, null, null, null, null,
                        r.webhook(), null), ErrorCode.INVALID_UPLOAD, "filename"),
                refused("control character in file name", r -> new UploadRequest("a\u0007.png", "image/png", null, null,
                        null, null, null, null, r.webhook(), null), ErrorCode.INVALID_UPLOAD, "filename"),
                refused("malformed bucket", r -> r.withBucket("no spaces please"), ErrorCode.INVALID_UPLOAD, "bucket"),
                refused("no webhook", r -> r.withWebhook(null), ErrorCode.INVALID_UPLOAD, "webhook is required"),
                refused("unknown endpoint", r -> r.withWebhook(UploadWebhook.endpoint("ep_01ARZ3NDEKTSV4RRFFQ69G5FAV")),
                        ErrorCode.ENDPOINT_NOT_FOUND, "ep_"),
                refused("webhook URL not http", r -> r.withWebhook(UploadWebhook.adHoc("ftp://example.com/x", SECRET)),
                        ErrorCode.INVALID_URL, ""),
                refused("webhook secret too short", r -> r.withWebhook(UploadWebhook.adHoc(HOOK, "short")),
                        ErrorCode.INVALID_SECRET, "16"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void refusedWithNothingStored(String name, UnaryOperator<UploadRequest> change, ErrorCode code, String message) {
        HeraldException e = catchThrowableOfType(HeraldException.class,
                () -> herald.uploads().register(TENANT, change.apply(ok())));

        assertThat(e).as(name).isNotNull();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).contains(message).doesNotContain(SECRET);
        assertNothingStored();
    }

    @Test
    void aGoodRequestIsStoredWithItsAdHocEndpoint() {
        RegisteredUpload r = herald.uploads().register(TENANT, ok().withKey("avatars/u-1/cat.png")
                .withExpectedSize(100L).withExpiry(Duration.ofMinutes(1), Duration.ofMinutes(1)));

        assertThat(store.uploadInserts.get()).isEqualTo(1);
        assertThat(store.endpointInserts.get()).isEqualTo(1);
        assertThat(r.key()).isEqualTo("avatars/u-1/cat.png");
        assertThat(r.bucket()).isEqualTo("uploads");
        assertThat(r.provider()).isEqualTo("s3");
        assertThat(r.upload().contentLength()).isEqualTo(100L);
        assertThat(r.uploadUrl().getHost()).isEqualTo("uploads.s3.eu-west-1.amazonaws.com");
        assertThat(r.uploadUrl().getRawQuery()).contains("X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost");
        assertThat(r.fileUrl().toString()).isEqualTo("https://uploads.s3.eu-west-1.amazonaws.com/avatars/u-1/cat.png");
        assertThat(r.expiresAt()).isEqualTo(r.urlExpiresAt());
        assertThat(store.findEndpoint(TENANT, r.endpointId()).orElseThrow().adHoc()).isTrue();
        assertThat(herald.uploads().status(TENANT, r.token()).triggers()).containsExactly(UploadTrigger.CLIENT_CONFIRM);
    }

    @Test
    void aKeyAnotherOpenUploadWatchesIsRefused() {
        herald.uploads().register(TENANT, ok().withKey("shared/cat.png"));

        HeraldException e = catchThrowableOfType(HeraldException.class,
                () -> herald.uploads().register("other", ok().withKey("shared/cat.png")));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_UPLOAD);
        assertThat(e.getMessage()).contains("another unfinished upload");
        assertThat(store.uploadInserts.get()).isEqualTo(1);
    }

    @Test
    void anotherTenantsEndpointIsNotFound() {
        HeraldException e = catchThrowableOfType(HeraldException.class, () -> herald.uploads().register(TENANT,
                ok().withWebhook(UploadWebhook.endpoint(otherTenantsEndpoint.id()))));

        assertThat(e.code()).isEqualTo(ErrorCode.ENDPOINT_NOT_FOUND);
        assertNothingStored();
    }

    @Test
    void badTenantIsRefused() {
        assertThat(catchThrowableOfType(HeraldException.class, () -> herald.uploads().register("bad tenant!", ok()))
                .code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        assertNothingStored();
    }

    @Test
    void storeFailureLeavesNoAdHocEndpointBehind() {
        store.failUploadInserts = true;

        HeraldException e = catchThrowableOfType(HeraldException.class, () -> herald.uploads().register(TENANT, ok()));

        assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(store.endpointInserts.get()).isEqualTo(1);
        assertThat(store.endpointDeletes.get()).isEqualTo(1);
    }

    // ---- batches ----

    @Test
    void batchOverOneHundredFilesIsRefused() {
        List<UploadRequest> files = new ArrayList<>(Collections.nCopies(101, UploadRequest.of("a.png", "image/png")));

        assertBatchRefused(files, ErrorCode.INVALID_UPLOAD, "1 to 100 files");
        assertBatchRefused(List.of(), ErrorCode.INVALID_UPLOAD, "1 to 100 files");
    }

    @Test
    void oneBadFileRefusesTheWholeBatch() {
        List<UploadRequest> files = new ArrayList<>(Collections.nCopies(5, UploadRequest.of("a.png", "image/png")));
        files.add(UploadRequest.of("evil.png", "image/png").withKey("../evil.png"));

        assertBatchRefused(files, ErrorCode.INVALID_UPLOAD, "file 5: key must not contain");
    }

    @Test
    void batchFilesMayNotNameTheirOwnWebhookOrShareAKey() {
        assertBatchRefused(List.of(ok()), ErrorCode.INVALID_UPLOAD, "must not name its own webhook");
        assertBatchRefused(List.of(UploadRequest.of("a.png", "image/png").withKey("same.png"),
                UploadRequest.of("b.png", "image/png").withKey("same.png")), ErrorCode.INVALID_UPLOAD, "file 1: two files");
    }

    @Test
    void batchOfOneHundredIsStoredInOneWrite() {
        List<UploadRequest> files = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            files.add(UploadRequest.of("scan " + i + ".pdf", "application/pdf"));
        }

        RegisteredBatch batch = herald.uploads().registerBatch(TENANT, files, UploadWebhook.adHoc(HOOK));

        assertThat(batch.uploads()).hasSize(100);
        assertThat(batch.webhookSecret()).startsWith("whsec_");
        assertThat(batch.uploads()).allMatch(u -> u.endpointId().equals(batch.endpointId()));
        assertThat(batch.uploads().get(7).key()).endsWith("/scan_7.pdf");
        assertThat(store.uploadInserts.get()).isEqualTo(1);
        assertThat(store.endpointInserts.get()).isEqualTo(1);
        assertThat(herald.uploads().batch(TENANT, batch.batchId())).hasSize(100);
        assertThat(store.dueUploads(Instant.MAX, 1000)).hasSize(100);
    }

    private void assertBatchRefused(List<UploadRequest> files, ErrorCode code, String message) {
        HeraldException e = catchThrowableOfType(HeraldException.class,
                () -> herald.uploads().registerBatch(TENANT, files, UploadWebhook.adHoc(HOOK, SECRET)));
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.getMessage()).contains(message);
        assertNothingStored();
    }

    private void assertNothingStored() {
        assertThat(store.writes()).isZero();
        assertThat(store.dueUploads(Instant.MAX, 1000)).isEmpty();
    }
}
