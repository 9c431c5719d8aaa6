package dev.herald.engine.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.engine.EndpointRequest;
import dev.herald.engine.ErrorCode;
import dev.herald.engine.Herald;
import dev.herald.engine.HeraldBuilder;
import dev.herald.engine.HeraldException;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.Upload;
import dev.herald.engine.model.UploadStatus;
import dev.herald.engine.model.UploadTrigger;
import dev.herald.engine.retry.RetryPolicy;
import dev.herald.engine.upload.PresignedUpload;
import dev.herald.engine.s3.S3ObjectVerifier;
import dev.herald.engine.s3.S3ProxyServer;
import dev.herald.engine.s3.S3Storage;
import dev.herald.engine.s3.S3UploadSigner;
import dev.herald.engine.s3.S3Uploads;
import dev.herald.engine.signing.WebhookVerifier;
import dev.herald.engine.spi.ObjectVerifier;
import dev.herald.engine.testing.SettableClock;
import dev.herald.engine.testing.TestReceiver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Uploads end to end in one JVM: a real engine, S3Proxy as storage (a real S3 API), presigned PUTs sent with
 * {@code java.net.http}, and a local webhook receiver.
 */
class UploadsTest {
    static final String TENANT = "acme";
    static final String BUCKET = "herald-uploads";
    static final String SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
    static final Duration WAIT = Duration.ofSeconds(15);
    static final ObjectMapper JSON = new ObjectMapper();

    static S3ProxyServer s3;
    static S3Uploads storage;
    static HttpClient http;

    final List<Herald> engines = new CopyOnWriteArrayList<>();
    final List<AutoCloseable> closeables = new CopyOnWriteArrayList<>();
    TestReceiver receiver;
    CountingStore store;

    @BeforeAll
    static void startStorage() {
        s3 = S3ProxyServer.startTransient();
        s3.createBucket(BUCKET);
        S3Storage st = s3.storage();
        storage = S3Uploads.of(S3UploadSigner.create(st),
                S3ObjectVerifier.builder(st).timeout(Duration.ofSeconds(3)).build());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopStorage() {
        storage.close();
        s3.close();
    }

    @BeforeEach
    void startReceiver() {
        receiver = TestReceiver.start();
        store = new CountingStore();
    }

    @AfterEach
    void stop() throws Exception {
        engines.forEach(Herald::close);
        receiver.close();
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    // ---- fixtures ----

    static UploadSettings.Builder fastSettings() {
        return fastSettings(storage.verifier());
    }

    static UploadSettings.Builder fastSettings(ObjectVerifier verifier) {
        return UploadSettings.builder().signer(S3Uploads.signer(storage.presigner())).verifier(verifier)
                .defaultBucket(BUCKET)
                .pollSchedule(Duration.ofMillis(40), Duration.ofMillis(80), Duration.ofMillis(160))
                .pollInterval(Duration.ofMillis(20))
                .verifyRetry(Duration.ofMillis(50), Duration.ofMillis(200)).maxHeadsPerSecond(1000);
    }

    HeraldBuilder engineBuilder(UploadSettings settings) {
        return Herald.builder().store(store).urlPolicy(UrlPolicy.permissive()).uploads(settings)
                .retryPolicy(RetryPolicy.builder().delays(Duration.ofMillis(20)).jitter(0).build())
                .requestTimeout(Duration.ofSeconds(2)).lease(Duration.ofSeconds(5))
                .sweepInterval(Duration.ofMillis(50));
    }

    Herald started(UploadSettings settings) {
        return started(engineBuilder(settings));
    }

    Herald started(HeraldBuilder builder) {
        Herald herald = builder.build().start();
        engines.add(herald);
        return herald;
    }

    UploadRequest file(String name, String contentType) {
        return UploadRequest.of(name, contentType).withWebhook(UploadWebhook.adHoc(receiver.url(), SECRET));
    }

    static HttpResponse<String> put(PresignedUpload put, byte[] body) throws Exception {
        return send(put.url(), put.headers(), body);
    }

    static HttpResponse<String> send(URI url, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String uploaded(RegisteredUpload r, byte[] body) throws Exception {
        HttpResponse<String> response = put(r.upload(), body);
        assertThat(response.statusCode()).as("PUT: %s", response.body()).isEqualTo(200);
        return response.headers().firstValue("etag").orElseThrow();
    }

    static String md5(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
    }

    List<JsonNode> events(String type) {
        List<JsonNode> out = new ArrayList<>();
        for (TestReceiver.Received r : receiver.received()) {
            JsonNode body = parse(r.bodyText());
            if (body.path("type").asText().equals(type)) {
                out.add(body);
            }
        }
        return out;
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until {@code count} events of {@code type} arrived, then checks no more follow for a while. */
    List<JsonNode> exactly(int count, String type) {
        await().atMost(WAIT).until(() -> events(type).size() >= count);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3))
                .until(() -> events(type).size() == count);
        return events(type);
    }

    // ---- the promises ----

    @Test
    void putThenConfirmDeliversOneSignedUploadCompleted() throws Exception {
        Herald herald = started(fastSettings().build());
        byte[] body = "a scanned contract, page 1".getBytes(StandardCharsets.UTF_8);
        String metadata = "{\"userId\": \"u-42\", \"tags\": [\"a\", 1.50], \"nested\": {\"x\": null}}";
        RegisteredUpload r = herald.uploads().register(TENANT, file("Contract 2026.pdf", "application/pdf")
                .withExpectedSize((long) body.length).withMetadata(metadata));

        assertThat(r.token()).startsWith("wh_");
        assertThat(r.key()).isEqualTo("uploads/" + r.token() + "/Contract_2026.pdf");
        assertThat(r.headers()).containsEntry("content-type", "application/pdf");
        assertThat(r.webhookSecret()).isNull();
        String etag = uploaded(r, body);

        ConfirmResult result = herald.uploads().confirm(TENANT, r.token(), etag);

        assertThat(result).isInstanceOfSatisfying(ConfirmResult.Verified.class,
                v -> assertThat(v.alreadyVerified()).isFalse());
        TestReceiver.Received req = await().atMost(WAIT).until(receiver::received, l -> !l.isEmpty()).get(0);
        WebhookVerifier.builder().secret(SECRET).build().verify(req.headers()::get, req.body());
        JsonNode event = parse(req.bodyText());
        assertThat(event.path("type").asText()).isEqualTo("upload.completed");
        JsonNode data = event.path("data");
        assertThat(data.path("webhookId").asText()).isEqualTo(r.token());
        assertThat(data.path("provider").asText()).isEqualTo("s3-compatible");
        assertThat(data.path("bucket").asText()).isEqualTo(BUCKET);
        assertThat(data.path("uploadedAt").asText()).endsWith("Z");
        JsonNode f = data.path("file");
        assertThat(f.path("size").asLong()).isEqualTo(body.length);
        assertThat(f.path("etag").asText()).isEqualTo(md5(body));
        assertThat(f.path("key").asText()).isEqualTo(r.key());
        assertThat(f.path("filename").asText()).isEqualTo("Contract 2026.pdf");
        assertThat(f.path("contentType").asText()).isEqualTo("application/pdf");
        assertThat(f.path("url").asText()).isEqualTo(s3.endpoint() + "/" + BUCKET + "/" + r.key());
        // Metadata comes back byte for byte, spacing and number spelling included.
        assertThat(req.bodyText()).contains("\"metadata\":" + metadata);
        assertThat(req.header("webhook-id")).startsWith("dlv_");

        ConfirmResult again = herald.uploads().confirm(TENANT, r.token(), null);
        assertThat(again).isInstanceOfSatisfying(ConfirmResult.Verified.class,
                v -> assertThat(v.alreadyVerified()).isTrue());
        exactly(1, "upload.completed");

        Upload status = herald.uploads().status(TENANT, r.token());
        assertThat(status.status()).isEqualTo(UploadStatus.VERIFIED);
        assertThat(status.observedSize()).isEqualTo(body.length);
        await().atMost(WAIT).until(() -> herald.uploads().deliveries(TENANT, r.token()),
                l -> l.size() == 1 && l.get(0).status() == DeliveryStatus.SUCCEEDED);
        Delivery delivery = herald.uploads().deliveries(TENANT, r.token()).get(0);
        assertThat(delivery.eventType()).isEqualTo("upload.completed");
        assertThat(delivery.endpointId()).isEqualTo(r.endpointId());
        assertThat(herald.attempts(TENANT, delivery.id())).hasSize(1);
    }

    @Test
    void adHocWebhookWithoutSecretGetsAGeneratedOneShownOnce() throws Exception {
        Herald herald = started(fastSettings().build());
        RegisteredUpload r = herald.uploads().register(TENANT, UploadRequest.of("a.txt", "text/plain")
                .withWebhook(UploadWebhook.adHoc(receiver.url())));

        assertThat(r.webhookSecret()).startsWith("whsec_");
        assertThat(r.toString()).doesNotContain(r.webhookSecret()).doesNotContain("X-Amz-Signature");
        herald.uploads().confirm(TENANT, r.token(), uploaded(r, new byte[]{1}));

        TestReceiver.Received req = await().atMost(WAIT).until(receiver::received, l -> !l.isEmpty()).get(0);
        WebhookVerifier.builder().secret(r.webhookSecret()).build().verify(req.headers()::get, req.body());
        // An ad-hoc endpoint is no fan-out target and is not listed among the tenant's endpoints.
        assertThat(herald.endpoints(TENANT, null, 10).items()).isEmpty();
    }

    @Test
    void registeredEndpointReceivesTheUploadEvents() throws Exception {
        Herald herald = started(fastSettings().build());
        Endpoint endpoint = herald.createEndpoint(TENANT, EndpointRequest.of(receiver.url(), "upload.*"));
        RegisteredUpload r = herald.uploads().register(TENANT, UploadRequest.of("b.txt", "text/plain")
                .withWebhook(UploadWebhook.endpoint(endpoint.id())));

        assertThat(r.endpointId()).isEqualTo(endpoint.id());
        herald.uploads().confirm(TENANT, r.token(), null);

        TestReceiver.Received req = await().atMost(WAIT).until(receiver::received, l -> !l.isEmpty()).get(0);
        WebhookVerifier.builder().secret(endpoint.secrets().get(0).value()).build().verify(req.headers()::get,
                req.body());
        assertThat(parse(req.bodyText()).path("data").path("reason").asText()).isEqualTo("OBJECT_MISSING");
    }

    @Test
    void autoDetectFindsAnUploadNobodyConfirms() throws Exception {
        Herald herald = started(fastSettings().build());
        byte[] body = new byte[4096];
        RegisteredUpload r = herald.uploads().register(TENANT, file("photo.jpg", "image/jpeg")
                .withTriggers(UploadTrigger.AUTO_DETECT));

        uploaded(r, body);

        JsonNode event = exactly(1, "upload.completed").get(0);
        assertThat(event.path("data").path("file").path("size").asLong()).isEqualTo(4096);
        assertThat(event.path("data").path("file").path("etag").asText()).isEqualTo(md5(body));
        Upload done = herald.uploads().status(TENANT, r.token());
        assertThat(done.status()).isEqualTo(UploadStatus.VERIFIED);
        // Complete only after two HEADs agreed.
        assertThat(done.checks()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void autoDetectWaitsWhileNothingIsUploaded() {
        Herald herald = started(fastSettings().build());
        RegisteredUpload r = herald.uploads().register(TENANT, file("later.bin", "application/octet-stream")
                .withTriggers(UploadTrigger.AUTO_DETECT));

        await().atMost(WAIT).until(() -> herald.uploads().status(TENANT, r.token()).checks() >= 3);
        Upload waiting = herald.uploads().status(TENANT, r.token());
        assertThat(waiting.status()).isEqualTo(UploadStatus.AWAITING_UPLOAD);
        assertThat(waiting.nextCheckAt()).isNotNull();
        assertThat(receiver.calls()).isZero();
    }

    @Test
    void anEtagClaimThatIsNoShortEntityTagIsRefusedAndNothingIsWritten() {
        // Issue 8: a 2,100-character etag was written down with the upload and the store refused it: 503.
        Herald herald = started(fastSettings().build());
        RegisteredUpload r = herald.uploads().register(TENANT, file("claim.txt", "text/plain"));
        Upload before = store.findUpload(r.token()).orElseThrow();

        for (String etag : List.of("a".repeat(257), "\"a\u0000b\"", "a b", "\"\uD83D\uDE00\"")) {
            assertThatThrownBy(() -> herald.uploads().confirm(TENANT, r.token(), etag)).as(etag)
                    .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_UPLOAD));
        }

        assertThat(store.findUpload(r.token())).contains(before);
        assertThat(herald.uploads().confirm(TENANT, r.token(), "\"" + "a".repeat(256) + "\""))
                .isInstanceOf(ConfirmResult.Rejected.class);
    }

    @Test
    void wrongExpectedSizeGivesUploadFailedSizeMismatch() throws Exception {
        Herald herald = started(fastSettings().build());
        RegisteredUpload r = herald.uploads().register(TENANT, file("exact.bin", "application/octet-stream")
                .withExpectedSize(10L).withKey("fixed/exact.bin"));
        // The size is signed into the URL, so storage itself refuses another size...
        assertThat(put(r.upload(), new byte[11]).statusCode()).isEqualTo(403);
        // ...but an object written another way (another URL, a tool) can still have the wrong size.
        PresignedUpload other = storage.presigner().presignPut(BUCKET, r.key(), "application/octet-stream",
                Duration.ofMinutes(5));
        assertThat(send(other.url(), other.headers(), new byte[11]).statusCode()).isEqualTo(200);

        ConfirmResult result = herald.uploads().confirm(TENANT, r.token(), null);

        assertThat(result).isInstanceOfSatisfying(ConfirmResult.Rejected.class,
                x -> assertThat(x.reason()).isEqualTo(RejectionReason.SIZE_MISMATCH));
        JsonNode failed = exactly(1, "upload.failed").get(0).path("data");
        assertThat(failed.path("reason").asText()).isEqualTo("SIZE_MISMATCH");
        assertThat(failed.path("file").path("size").asLong()).isEqualTo(11);
        assertThat(failed.path("expected").path("size").asLong()).isEqualTo(10);
        assertThat(herald.uploads().status(TENANT, r.token()).failureReason()).isEqualTo("SIZE_MISMATCH");
        assertThat(herald.uploads().confirm(TENANT, r.token(), null)).isInstanceOf(ConfirmResult.Rejected.class);
        assertThat(events("upload.completed")).isEmpty();
        exactly(1, "upload.failed");
    }

    @Test
    void otherContentTypeOrEtagIsRejected() throws Exception {
        Herald herald = started(fastSettings().build());
        RegisteredUpload typed = herald.uploads().register(TENANT, file("t.png", "image/png").withKey("fixed/t.png"));
        PresignedUpload other = storage.presigner().presignPut(BUCKET, typed.key(), "text/html", Duration.ofMinutes(5));
        send(other.url(), other.headers(), new byte[]{1});
        RegisteredUpload tagged = herald.uploads().register(TENANT, file("e.txt", "text/plain"));
        uploaded(tagged, new byte[]{2});

        assertThat(herald.uploads().confirm(TENANT, typed.token(), null)).isInstanceOfSatisfying(
                ConfirmResult.Rejected.class, x -> assertThat(x.reason()).isEqualTo(RejectionReason.CONTENT_TYPE_MISMATCH));
        assertThat(herald.uploads().confirm(TENANT, tagged.token(), "\"0123456789abcdef0123456789abcdef\""))
                .isInstanceOfSatisfying(ConfirmResult.Rejected.class,
                        x -> assertThat(x.reason()).isEqualTo(RejectionReason.ETAG_MISMATCH));
        assertThat(exactly(2, "upload.failed")).extracting(e -> e.path("data").path("reason").asText())
                .containsExactlyInAnyOrder("CONTENT_TYPE_MISMATCH", "ETAG_MISMATCH");
    }

    @Test
    void confirmBeforeUploadingIsObjectMissing() {
        Herald herald = started(fastSettings().build());
        RegisteredUpload r = herald.uploads().register(TENANT, file("never.txt", "text/plain"));

        assertThat(herald.uploads().confirm(TENANT, r.token(), null)).isInstanceOfSatisfying(
                ConfirmResult.Rejected.class, x -> assertThat(x.reason()).isEqualTo(RejectionReason.OBJECT_MISSING));
        assertThat(exactly(1, "upload.failed").get(0).path("data").path("reason").asText())
                .isEqualTo("OBJECT_MISSING");
    }

    @Test
    void confirmPollAndNotificationTogetherDeliverExactlyOnce() throws Exception {
        Herald herald = started(fastSettings().build());
        // A second instance on the same store, polling and taking calls too.
        Herald other = started(engineBuilder(fastSettings().build()).instanceId("second"));
        int files = 8;
        List<RegisteredUpload> uploads = new ArrayList<>();
        List<String> etags = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            RegisteredUpload r = herald.uploads().register(TENANT, file("f" + i + ".txt", "text/plain")
                    .withTriggers(UploadTrigger.CLIENT_CONFIRM, UploadTrigger.AUTO_DETECT));
            uploads.add(r);
            etags.add(uploaded(r, ("file " + i).getBytes(StandardCharsets.UTF_8)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                RegisteredUpload r = uploads.get(i);
                String etag = etags.get(i);
                long size = ("file " + i).length();
                for (int k = 0; k < 3; k++) {
                    Herald via = k % 2 == 0 ? herald : other;
                    calls.add(pool.submit(() -> {
                        go.await();
                        return via.uploads().confirm(TENANT, r.token(), etag);
                    }));
                    calls.add(pool.submit(() -> {
                        go.await();
                        via.uploads().objectCreated(BUCKET, r.key(), size, etag);
                        return null;
                    }));
                }
            }
            go.countDown();
            for (Future<?> call : calls) {
                Object result = call.get(30, TimeUnit.SECONDS);
                if (result instanceof ConfirmResult c) {
                    assertThat(c).isInstanceOfAny(ConfirmResult.Verified.class, ConfirmResult.Pending.class);
                }
            }
        } finally {
            pool.shutdownNow();
        }

        List<JsonNode> completed = exactly(files, "upload.completed");
        assertThat(completed).extracting(e -> e.path("data").path("webhookId").asText())
                .containsExactlyInAnyOrderElementsOf(uploads.stream().map(RegisteredUpload::token).toList());
        assertThat(store.completedPublishes.get()).isEqualTo(files);
        for (RegisteredUpload r : uploads) {
            assertThat(herald.uploads().status(TENANT, r.token()).status()).isEqualTo(UploadStatus.VERIFIED);
        }
    }

    @Test
    void expiredTokenAnswersUploadExpiredAndAnnouncesIt() {
        SettableClock clock = new SettableClock();
        Herald herald = started(engineBuilder(fastSettings().build()).clock(clock));
        RegisteredUpload confirmed = herald.uploads().register(TENANT, file("late.txt", "text/plain"));
        RegisteredUpload polled = herald.uploads().register(TENANT, file("late2.txt", "text/plain")
                .withTriggers(UploadTrigger.AUTO_DETECT));
        assertThat(confirmed.expiresAt()).isEqualTo(clock.instant().plus(UploadSettings.DEFAULT_WATCH_EXPIRY));

        clock.advance(UploadSettings.DEFAULT_WATCH_EXPIRY.plusSeconds(1));

        HeraldException e = catchThrowableOfType(HeraldException.class,
                () -> herald.uploads().confirm(TENANT, confirmed.token(), null));
        assertThat(e.code()).isEqualTo(ErrorCode.UPLOAD_EXPIRED);
        await().atMost(WAIT).until(() -> herald.uploads().status(TENANT, polled.token()).status()
                == UploadStatus.EXPIRED);
        assertThat(exactly(2, "upload.expired")).extracting(x -> x.path("data").path("webhookId").asText())
                .containsExactlyInAnyOrder(confirmed.token(), polled.token());
        assertThat(catchThrowableOfType(HeraldException.class,
                () -> herald.uploads().confirm(TENANT, confirmed.token(), null)).code())
                .isEqualTo(ErrorCode.UPLOAD_EXPIRED);
    }

    @Test
    void tokensAreTenantScopedAndChecked() {
        Herald herald = started(fastSettings().build());
        RegisteredUpload r = herald.uploads().register(TENANT, file("x.txt", "text/plain"));

        assertThat(code(() -> herald.uploads().confirm("other", r.token(), null))).isEqualTo(ErrorCode.UPLOAD_NOT_FOUND);
        assertThat(code(() -> herald.uploads().status("other", r.token()))).isEqualTo(ErrorCode.UPLOAD_NOT_FOUND);
        assertThat(code(() -> herald.uploads().confirm(TENANT, "wh_01ARZ3NDEKTSV4RRFFQ69G5FAV", null)))
                .isEqualTo(ErrorCode.UPLOAD_NOT_FOUND);
        assertThat(code(() -> herald.uploads().confirm(TENANT, "'; drop table uploads", null)))
                .isEqualTo(ErrorCode.UPLOAD_NOT_FOUND);
        assertThat(code(() -> herald.uploads().confirm(TENANT, null, null))).isEqualTo(ErrorCode.MISSING_WEBHOOK_TOKEN);
        assertThat(code(() -> herald.uploads().confirm(TENANT, "  ", null))).isEqualTo(ErrorCode.MISSING_WEBHOOK_TOKEN);
        assertThat(code(() -> herald.uploads().deliveries(TENANT, ""))).isEqualTo(ErrorCode.MISSING_WEBHOOK_TOKEN);
        assertThat(herald.uploads().status(TENANT, r.token()).status()).isEqualTo(UploadStatus.AWAITING_UPLOAD);
        assertThat(herald.uploads().deliveries(TENANT, r.token())).isEmpty();
    }

    @Test
    void batchOfTwentyDeliversTwentyCompletedAndOneBatchCompleted() throws Exception {
        Herald herald = started(fastSettings().build());
        List<UploadRequest> files = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            files.add(UploadRequest.of("page-" + i + ".png", "image/png")
                    .withTriggers(i % 2 == 0 ? UploadTrigger.CLIENT_CONFIRM : UploadTrigger.AUTO_DETECT)
                    .withMetadata("{\"page\":" + i + "}"));
        }

        RegisteredBatch batch = herald.uploads().registerBatch(TENANT, files, UploadWebhook.adHoc(receiver.url(), SECRET));

        assertThat(batch.batchId()).startsWith("batch_");
        assertThat(batch.uploads()).hasSize(20).allSatisfy(u -> assertThat(u.batchId()).isEqualTo(batch.batchId()));
        assertThat(batch.uploads()).extracting(RegisteredUpload::token).doesNotHaveDuplicates();
        for (int i = 0; i < 20; i++) {
            RegisteredUpload r = batch.uploads().get(i);
            String etag = uploaded(r, ("png " + i).getBytes(StandardCharsets.UTF_8));
            if (i % 2 == 0) {
                assertThat(herald.uploads().confirm(TENANT, r.token(), etag)).isInstanceOf(ConfirmResult.Verified.class);
            }
        }

        List<JsonNode> completed = exactly(20, "upload.completed");
        assertThat(completed).allSatisfy(e -> assertThat(e.path("data").path("batchId").asText())
                .isEqualTo(batch.batchId()));
        JsonNode done = exactly(1, "batch.completed").get(0).path("data");
        assertThat(done.path("batchId").asText()).isEqualTo(batch.batchId());
        assertThat(done.path("total").asInt()).isEqualTo(20);
        assertThat(done.path("verified").asInt()).isEqualTo(20);
        assertThat(done.path("uploads")).hasSize(20);
        assertThat(herald.uploads().batch(TENANT, batch.batchId())).hasSize(20)
                .allMatch(u -> u.status() == UploadStatus.VERIFIED);
        assertThat(herald.uploads().batch("other", batch.batchId())).isEmpty();
    }

    @Test
    void batchEndsWhenEveryUploadHasEndedWhateverTheOutcome() throws Exception {
        Herald herald = started(fastSettings().build());
        RegisteredBatch batch = herald.uploads().registerBatch(TENANT, List.of(UploadRequest.of("ok.txt", "text/plain"),
                UploadRequest.of("missing.txt", "text/plain")), UploadWebhook.adHoc(receiver.url(), SECRET));
        RegisteredUpload ok = batch.uploads().get(0);
        herald.uploads().confirm(TENANT, ok.token(), uploaded(ok, new byte[]{7}));
        assertThat(events("batch.completed")).isEmpty();

        herald.uploads().confirm(TENANT, batch.uploads().get(1).token(), null);

        JsonNode done = exactly(1, "batch.completed").get(0).path("data");
        assertThat(done.path("verified").asInt()).isEqualTo(1);
        assertThat(done.path("rejected").asInt()).isEqualTo(1);
        assertThat(done.path("uploads").get(1).path("reason").asText()).isEqualTo("OBJECT_MISSING");
    }

    @Test
    void storageUnreachableDuringVerifyWaitsAndCompletesWhenItIsBack() throws Exception {
        TcpSwitch link = new TcpSwitch(s3.port());
        closeables.add(link);
        S3Storage behindSwitch = s3.storage(S3Storage.s3Compatible(URI.create("http://127.0.0.1:" + link.port())));
        S3ObjectVerifier flaky = S3ObjectVerifier.builder(behindSwitch).timeout(Duration.ofSeconds(1)).build();
        closeables.add(flaky);
        Herald herald = started(fastSettings(flaky).build());
        RegisteredUpload r = herald.uploads().register(TENANT, file("during-outage.txt", "text/plain"));
        uploaded(r, "landed".getBytes(StandardCharsets.UTF_8));
        link.cut();

        ConfirmResult result = herald.uploads().confirm(TENANT, r.token(), null);

        assertThat(result).isInstanceOfSatisfying(ConfirmResult.Pending.class, p -> {
            assertThat(p.upload().status()).isEqualTo(UploadStatus.VERIFYING);
            assertThat(p.nextCheckAt()).isNotNull();
            assertThat(p.reason()).startsWith("storage unavailable");
        });
        // The poller keeps asking with backoff, and never calls the storage error a failure.
        await().atMost(WAIT).until(() -> herald.uploads().status(TENANT, r.token()).checks() >= 4);
        assertThat(herald.uploads().status(TENANT, r.token()).status()).isEqualTo(UploadStatus.VERIFYING);
        assertThat(herald.uploads().confirm(TENANT, r.token(), null)).isInstanceOf(ConfirmResult.Pending.class);
        assertThat(receiver.calls()).isZero();

        link.restore();

        await().atMost(WAIT).until(() -> herald.uploads().status(TENANT, r.token()).status() == UploadStatus.VERIFIED);
        exactly(1, "upload.completed");
        assertThat(events("upload.failed")).isEmpty();
    }

    @Test
    void notificationsCompleteAutoDetectedUploadsOnly() throws Exception {
        // A poll schedule too slow to matter here: only the notification can complete the upload.
        Herald herald = started(storage.settings().defaultBucket(BUCKET).pollSchedule(Duration.ofHours(1)).build());
        RegisteredUpload watched = herald.uploads().register(TENANT, file("n.txt", "text/plain")
                .withTriggers(UploadTrigger.AUTO_DETECT));
        RegisteredUpload confirmOnly = herald.uploads().register(TENANT, file("c.txt", "text/plain"));
        String etag = uploaded(watched, new byte[]{1, 2});
        uploaded(confirmOnly, new byte[]{3});

        herald.uploads().objectCreated(BUCKET, watched.key(), 2L, etag);
        herald.uploads().objectCreated(BUCKET, confirmOnly.key(), 1L, null);
        herald.uploads().objectCreated(BUCKET, "nobody/watches/this", 1L, "abc");

        assertThat(herald.uploads().status(TENANT, watched.token()).status()).isEqualTo(UploadStatus.VERIFIED);
        assertThat(herald.uploads().status(TENANT, confirmOnly.token()).status())
                .isEqualTo(UploadStatus.AWAITING_UPLOAD);
        exactly(1, "upload.completed");
    }

    @Test
    void notificationWithoutEtagCountsAsFirstSighting() throws Exception {
        Herald herald = started(storage.settings().defaultBucket(BUCKET).pollSchedule(Duration.ofHours(1)).build());
        RegisteredUpload r = herald.uploads().register(TENANT, file("n2.txt", "text/plain")
                .withTriggers(UploadTrigger.AUTO_DETECT));
        uploaded(r, new byte[]{9});

        herald.uploads().objectCreated(BUCKET, r.key(), null, null);
        Upload seen = herald.uploads().status(TENANT, r.token());
        assertThat(seen.status()).isEqualTo(UploadStatus.AWAITING_UPLOAD);
        assertThat(seen.observedSize()).isEqualTo(1);
        herald.uploads().objectCreated(BUCKET, r.key(), null, null);

        assertThat(herald.uploads().status(TENANT, r.token()).status()).isEqualTo(UploadStatus.VERIFIED);
    }

    @Test
    void sameObjectVersionIsAnnouncedOnceEvenAcrossUploads() throws Exception {
        Herald herald = started(fastSettings().build());
        byte[] body = "same bytes".getBytes(StandardCharsets.UTF_8);
        RegisteredUpload first = herald.uploads().register(TENANT, file("v.txt", "text/plain").withKey("fixed/v.txt"));
        herald.uploads().confirm(TENANT, first.token(), uploaded(first, body));
        RegisteredUpload second = herald.uploads().register(TENANT, file("v.txt", "text/plain").withKey("fixed/v.txt"));
        String etag = uploaded(second, body);

        // Identical bytes at the same key are the same (bucket, key, ETag): verified, not announced twice.
        assertThat(herald.uploads().confirm(TENANT, second.token(), etag)).isInstanceOf(ConfirmResult.Verified.class);
        assertThat(exactly(1, "upload.completed").get(0).path("data").path("webhookId").asText())
                .isEqualTo(first.token());
        assertThat(herald.uploads().deliveries(TENANT, second.token())).isEmpty();

        // New bytes are a new version, and are announced.
        RegisteredUpload third = herald.uploads().register(TENANT, file("v.txt", "text/plain").withKey("fixed/v.txt"));
        herald.uploads().confirm(TENANT, third.token(), uploaded(third, "new bytes".getBytes(StandardCharsets.UTF_8)));
        exactly(2, "upload.completed");
    }

    @Test
    void confirmWorksWithoutStartingTheEngine() throws Exception {
        Herald herald = engineBuilder(fastSettings().build()).build();
        engines.add(herald);
        RegisteredUpload r = herald.uploads().register(TENANT, file("p.txt", "text/plain"));

        assertThat(herald.uploads().confirm(TENANT, r.token(), uploaded(r, new byte[]{5})))
                .isInstanceOf(ConfirmResult.Verified.class);
        assertThat(store.completedPublishes.get()).isEqualTo(1);
    }

    @Test
    void uploadsNeedSettings() {
        Herald herald = Herald.builder().store(store).build();
        engines.add(herald);

        assertThatThrownBy(herald::uploads).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("HeraldBuilder.uploads");
    }

    static ErrorCode code(Runnable call) {
        return catchThrowableOfType(HeraldException.class, call::run).code();
    }
}
