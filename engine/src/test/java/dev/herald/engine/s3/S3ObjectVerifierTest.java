package dev.herald.engine.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.engine.spi.ObjectHead;
import dev.herald.engine.spi.ObjectVerifier;
import dev.herald.engine.spi.ObjectVerifierContract;
import dev.herald.engine.upload.PresignedUpload;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link S3ObjectVerifier} against S3Proxy, a real S3 API in process; objects are stored the way clients
 * store them, with a PUT to a URL from {@link S3UploadSigner}.
 */
class S3ObjectVerifierTest extends ObjectVerifierContract {
    private static final String BUCKET = "herald-uploads";
    private static final Duration URL_EXPIRY = Duration.ofMinutes(5);

    private static S3ProxyServer server;
    private static S3UploadSigner signer;
    private static HttpClient http;

    @BeforeAll
    static void startStorage() {
        server = S3ProxyServer.startTransient();
        server.createBucket(BUCKET);
        signer = S3UploadSigner.create(server.storage());
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopStorage() {
        signer.close();
        server.close();
    }

    @Override
    protected ObjectVerifier createVerifier() {
        return S3ObjectVerifier.builder(server.storage()).timeout(Duration.ofSeconds(5)).build();
    }

    @Override
    protected String bucket() {
        return BUCKET;
    }

    @Override
    protected void putObject(String key, byte[] body, String contentType) throws Exception {
        PresignedUpload put = signer.presignPut(BUCKET, key, contentType, body.length, URL_EXPIRY);
        HttpResponse<String> response = send(put, body, contentType);
        assertThat(response.statusCode()).as("PUT %s: %s", key, response.body()).isEqualTo(200);
    }

    @Override
    protected ObjectVerifier createUnreachableVerifier() {
        S3ProxyServer stopped = S3ProxyServer.startTransient();
        S3Storage storage = stopped.storage();
        stopped.stop();
        return S3ObjectVerifier.builder(storage).timeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void etagOfSinglePutIsTheMd5HexOfTheBytes() throws Exception {
        byte[] body = "hello, herald".getBytes(StandardCharsets.UTF_8);
        putObject(key("hello.txt"), body, "text/plain");

        ObjectHead head = verifier().head(BUCKET, key("hello.txt"));

        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        assertThat(head).isInstanceOfSatisfying(ObjectHead.Found.class, f -> {
            assertThat(f.etag()).isEqualTo(md5);
            assertThat(f.size()).isEqualTo(body.length);
            assertThat(f.contentType()).isEqualTo("text/plain");
        });
    }

    @Test
    void putWithTheSignedContentTypeStoresThatContentType() throws Exception {
        PresignedUpload put = signer.presignPut(BUCKET, key("scan.png"), "image/png", URL_EXPIRY);

        assertThat(put.headers()).containsExactly(Map.entry("content-type", "image/png"));
        assertThat(send(put, new byte[]{1, 2, 3}, "image/png").statusCode()).isEqualTo(200);
        assertThat(verifier().head(BUCKET, key("scan.png"))).isInstanceOfSatisfying(ObjectHead.Found.class,
                f -> assertThat(f.contentType()).isEqualTo("image/png"));
    }

    // S3Proxy checks every header named in X-Amz-SignedHeaders, as S3 does: it answers 403
    // SignatureDoesNotMatch and stores nothing.
    @Test
    void putWithAnotherContentTypeIsRefusedAndStoresNothing() throws Exception {
        PresignedUpload put = signer.presignPut(BUCKET, key("avatar.png"), "image/png", URL_EXPIRY);

        HttpResponse<String> response = send(put, new byte[]{1, 2, 3}, "text/html");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("SignatureDoesNotMatch");
        assertThat(verifier().head(BUCKET, key("avatar.png"))).isInstanceOf(ObjectHead.Missing.class);
    }

    @Test
    void putOfAnotherSizeIsRefusedWhenTheSizeIsSigned() throws Exception {
        PresignedUpload put = signer.presignPut(BUCKET, key("exact.bin"), "application/octet-stream", 10, URL_EXPIRY);

        assertThat(put.contentLength()).isEqualTo(10);
        HttpResponse<String> longer = send(put, new byte[11], "application/octet-stream");
        HttpResponse<String> shorter = send(put, new byte[9], "application/octet-stream");

        assertThat(longer.statusCode()).isEqualTo(403);
        assertThat(shorter.statusCode()).isEqualTo(403);
        assertThat(verifier().head(BUCKET, key("exact.bin"))).isInstanceOf(ObjectHead.Missing.class);
        assertThat(send(put, new byte[10], "application/octet-stream").statusCode()).isEqualTo(200);
    }

    @Test
    void putOfAnySizeIsAcceptedWhenNoSizeIsSigned() throws Exception {
        PresignedUpload put = signer.presignPut(BUCKET, key("any.bin"), "application/octet-stream", URL_EXPIRY);

        assertThat(put.contentLength()).isNull();
        assertThat(send(put, new byte[3], "application/octet-stream").statusCode()).isEqualTo(200);
        assertThat(send(put, new byte[300], "application/octet-stream").statusCode()).isEqualTo(200);
        assertThat(verifier().head(BUCKET, key("any.bin"))).isInstanceOfSatisfying(ObjectHead.Found.class,
                f -> assertThat(f.size()).isEqualTo(300));
    }

    @Test
    void urlSignedForOneKeyCannotWriteAnother() throws Exception {
        PresignedUpload put = signer.presignPut(BUCKET, key("mine.txt"), "text/plain", URL_EXPIRY);
        URI other = URI.create(put.url().toString().replace("mine.txt", "yours.txt"));

        HttpResponse<String> response = send(new PresignedUpload(other, "PUT", put.headers(), null, put.expiresAt()),
                new byte[]{1}, "text/plain");

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(verifier().head(BUCKET, key("yours.txt"))).isInstanceOf(ObjectHead.Missing.class);
    }

    @Test
    void expiredUrlIsRefused() throws Exception {
        PresignedUpload put = signer.presignPut(BUCKET, key("late.txt"), "text/plain", Duration.ofSeconds(1));
        assertThat(put.expiresAt()).isBetween(Instant.now().minusSeconds(5), Instant.now().plusSeconds(5));

        // Storage answers by its own clock, so wait until it has passed the expiry instead of sleeping.
        AtomicReference<HttpResponse<String>> refused = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    HttpResponse<String> response = send(put, new byte[]{1}, "text/plain");
                    refused.set(response);
                    return response.statusCode() == 403;
                });

        assertThat(refused.get().body()).contains("AccessDenied");
    }

    @Test
    void bucketThatDoesNotExistIsMissing() {
        assertThat(verifier().head("no-such-bucket", "file.txt")).isInstanceOf(ObjectHead.Missing.class);
    }

    @Test
    void wrongSecretIsUnavailableNotMissing() {
        S3Storage wrong = S3Storage.s3Compatible(server.endpoint())
                .credentials(server.accessKeyId(), "not-the-secret-0000000000000000000000000").build();
        try (S3ObjectVerifier v = S3ObjectVerifier.builder(wrong).timeout(Duration.ofSeconds(5)).build()) {
            assertThat(v.head(BUCKET, key("file.txt"))).isInstanceOfSatisfying(ObjectHead.Unavailable.class,
                    u -> assertThat(u.reason()).startsWith("access denied (HTTP 403")
                            .doesNotContain("not-the-secret"));
        }
    }

    @Test
    void serverStoppedAfterUploadIsUnavailable() throws Exception {
        try (S3ProxyServer own = S3ProxyServer.startTransient();
             S3UploadSigner ownSigner = S3UploadSigner.create(own.storage());
             S3ObjectVerifier v = S3ObjectVerifier.builder(own.storage()).timeout(Duration.ofSeconds(5)).build()) {
            own.createBucket("bucket-one");
            PresignedUpload put = ownSigner.presignPut("bucket-one", "k.txt", "text/plain", URL_EXPIRY);
            assertThat(send(put, new byte[]{1, 2}, "text/plain").statusCode()).isEqualTo(200);
            assertThat(v.head("bucket-one", "k.txt")).isInstanceOf(ObjectHead.Found.class);

            own.stop();

            assertThat(v.head("bucket-one", "k.txt")).isInstanceOfSatisfying(ObjectHead.Unavailable.class,
                    u -> assertThat(u.reason()).startsWith("unreachable:"));
        }
    }

    private static HttpResponse<String> send(PresignedUpload put, byte[] body, String contentType)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(put.url())
                .timeout(Duration.ofSeconds(10))
                .method(put.method(), HttpRequest.BodyPublishers.ofByteArray(body));
        // Send the signed headers, except that the content type is the test's choice (to try a wrong one).
        put.headers().forEach((name, value) -> {
            if (!name.equals("content-type")) {
                request.header(name, value);
            }
        });
        request.header("Content-Type", contentType);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException closedWhileIdle) {
            // The storage may close a kept-alive connection after refusing a request, and the client does not
            // retry a PUT on its own; a closed idle connection says nothing about the URL, so try once more.
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
