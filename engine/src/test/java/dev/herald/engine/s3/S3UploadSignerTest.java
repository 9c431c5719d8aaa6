package dev.herald.engine.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.herald.engine.upload.PresignedUpload;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Signing is local, so these run without a server; {@link S3ObjectVerifierTest} sends the URLs to S3Proxy. */
class S3UploadSignerTest {
    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String ACCOUNT = "0123456789abcdef0123456789abcdef";
    private static final Duration HOUR = Duration.ofHours(1);

    private final S3UploadSigner aws = S3UploadSigner.create(
            S3Storage.awsS3("eu-west-1").credentials(KEY_ID, SECRET).build());

    @AfterEach
    void close() {
        aws.close();
    }

    @Test
    void awsUrlIsVirtualHostedWithTheContentTypeSigned() {
        Instant before = Instant.now();
        PresignedUpload put = aws.presignPut("my-bucket", "in/cat 1.png", "image/png", HOUR);

        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.url().getScheme()).isEqualTo("https");
        assertThat(put.url().getHost()).isEqualTo("my-bucket.s3.eu-west-1.amazonaws.com");
        assertThat(put.url().getRawPath()).isEqualTo("/in/cat%201.png");
        Map<String, String> query = query(put.url());
        assertThat(query).containsEntry("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
                .containsEntry("X-Amz-SignedHeaders", "content-type;host")
                .containsEntry("X-Amz-Expires", "3600")
                .containsKey("X-Amz-Signature");
        assertThat(query.get("X-Amz-Credential")).startsWith(KEY_ID + "/").endsWith("/eu-west-1/s3/aws4_request");
        assertThat(put.headers()).containsExactly(Map.entry("content-type", "image/png"));
        assertThat(put.contentLength()).isNull();
        assertThat(put.expiresAt()).isCloseTo(before.plus(HOUR), within(5, ChronoUnit.SECONDS));
    }

    @Test
    void knownSizeIsSignedToo() {
        PresignedUpload put = aws.presignPut("my-bucket", "doc.pdf", "application/pdf", 123_456, Duration.ofMinutes(15));

        assertThat(query(put.url())).containsEntry("X-Amz-SignedHeaders", "content-length;content-type;host")
                .containsEntry("X-Amz-Expires", "900");
        assertThat(put.contentLength()).isEqualTo(123_456);
        assertThat(put.headers()).containsOnlyKeys("content-type");
    }

    // SDK 2.30+ may add checksum parameters to requests; a presigned URL must not demand one from the client.
    @Test
    void urlDemandsNoChecksum() {
        PresignedUpload put = aws.presignPut("my-bucket", "doc.pdf", "application/pdf", 10, HOUR);

        assertThat(put.url().getRawQuery().toLowerCase()).doesNotContain("checksum");
        assertThat(put.headers().keySet()).noneMatch(h -> h.contains("checksum"));
    }

    @Test
    void r2UrlUsesTheAccountEndpointAndRegionAuto() {
        try (S3UploadSigner r2 = S3UploadSigner.create(S3Storage.r2(ACCOUNT).credentials(KEY_ID, SECRET).build())) {
            PresignedUpload put = r2.presignPut("media", "v/clip.mp4", "video/mp4", HOUR);

            assertThat(put.url().getHost()).isEqualTo("media." + ACCOUNT + ".r2.cloudflarestorage.com");
            assertThat(put.url().getRawPath()).isEqualTo("/v/clip.mp4");
            assertThat(query(put.url()).get("X-Amz-Credential")).endsWith("/auto/s3/aws4_request");
        }
    }

    @Test
    void compatibleUrlIsPathStyleAtTheEndpoint() {
        S3Storage minio = S3Storage.s3Compatible(URI.create("http://127.0.0.1:9000")).credentials(KEY_ID, SECRET).build();
        try (S3UploadSigner signer = S3UploadSigner.create(minio)) {
            PresignedUpload put = signer.presignPut("uploads", "a/b ü.txt", "text/plain", HOUR);

            assertThat(put.url().getScheme()).isEqualTo("http");
            assertThat(put.url().getAuthority()).isEqualTo("127.0.0.1:9000");
            assertThat(put.url().getRawPath()).isEqualTo("/uploads/a/b%20%C3%BC.txt");
            assertThat(query(put.url()).get("X-Amz-Credential")).endsWith("/us-east-1/s3/aws4_request");
            assertThat(signer.storage()).isSameAs(minio);
        }
    }

    @Test
    void expiryBoundsAreInclusive() {
        assertThat(query(aws.presignPut("b-1", "k", "text/plain", Duration.ofSeconds(1)).url()))
                .containsEntry("X-Amz-Expires", "1");
        assertThat(query(aws.presignPut("b-1", "k", "text/plain", Duration.ofDays(7)).url()))
                .containsEntry("X-Amz-Expires", "604800");
        assertThat(aws.presignPut("b-1", "k", "text/plain", 0, HOUR).contentLength()).isZero();
        assertThat(aws.presignPut("b-1", "k", "text/plain", S3UploadSigner.MAX_SINGLE_PUT_SIZE, HOUR).contentLength())
                .isEqualTo(5L * 1024 * 1024 * 1024);
    }

    @Test
    void expiryOutOfRangeIsRefused() {
        for (Duration bad : new Duration[]{Duration.ZERO, Duration.ofMillis(999), Duration.ofSeconds(-5),
                Duration.ofDays(7).plusSeconds(1), Duration.ofDays(30)}) {
            assertIae(() -> aws.presignPut("b-1", "k", "text/plain", bad), "expiry must be between PT1S and PT168H, was " + bad);
        }
        assertThatThrownBy(() -> aws.presignPut("b-1", "k", "text/plain", null))
                .isInstanceOf(NullPointerException.class).hasMessage("expiry");
    }

    @Test
    void sizeOutOfRangeIsRefused() {
        assertIae(() -> aws.presignPut("b-1", "k", "text/plain", -1, HOUR), "size must be between 0 and 5368709120 bytes, was -1");
        assertIae(() -> aws.presignPut("b-1", "k", "text/plain", S3UploadSigner.MAX_SINGLE_PUT_SIZE + 1, HOUR),
                "size must be between 0 and 5368709120 bytes");
    }

    @Test
    void missingArgumentsAreNamed() {
        assertThatThrownBy(() -> aws.presignPut(null, "k", "text/plain", HOUR)).hasMessage("bucket");
        assertThatThrownBy(() -> aws.presignPut("b-1", null, "text/plain", HOUR)).hasMessage("key");
        assertThatThrownBy(() -> aws.presignPut("b-1", "k", null, HOUR)).hasMessage("contentType");
        assertThatThrownBy(() -> S3UploadSigner.create(null)).isInstanceOf(NullPointerException.class).hasMessage("storage");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "png", "image/", "/png", "image/png\r\nX-Evil: 1", "image /png", "imàge/png",
            "text/plain; charset=utf-8\n"})
    void malformedContentTypeIsRefused(String contentType) {
        assertIae(() -> aws.presignPut("b-1", "k", contentType, HOUR), "contentType must be a media type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"image/png", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "text/plain; charset=utf-8", "application/octet-stream"})
    void wellFormedContentTypeIsSignedAsGiven(String contentType) {
        assertThat(aws.presignPut("b-1", "k", contentType, HOUR).headers()).containsEntry("content-type", contentType);
    }

    @Test
    void malformedBucketOrKeyIsRefused() {
        assertIae(() -> aws.presignPut("my bucket", "k", "text/plain", HOUR), "bucket must be 1 to 255");
        assertIae(() -> aws.presignPut("b-1", "", "text/plain", HOUR), "key must not be empty");
        assertIae(() -> aws.presignPut("b-1", "a\u0000b", "text/plain", HOUR), "key must not contain control characters");
    }

    @Test
    void toStringHidesTheSignature() {
        PresignedUpload put = aws.presignPut("my-bucket", "k.txt", "text/plain", HOUR);

        assertThat(put.toString()).contains("https://my-bucket.s3.eu-west-1.amazonaws.com/k.txt?…")
                .doesNotContain("X-Amz-Signature").doesNotContain(query(put.url()).get("X-Amz-Signature"))
                .doesNotContain(KEY_ID);
    }

    private static void assertIae(Executable call, String messageStart) {
        assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(messageStart).message().doesNotContain(SECRET);
    }

    private static Map<String, String> query(URI url) {
        return Arrays.stream(url.getRawQuery().split("&"))
                .map(p -> p.split("=", 2))
                .collect(Collectors.toMap(p -> p[0], p -> URLDecoder.decode(p[1], StandardCharsets.UTF_8)));
    }
}
