package dev.herald.engine.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engine.spi.ObjectHead;
import dev.herald.engine.upload.PresignedUpload;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ProxyServerTest {

    @Test
    void filesystemStoreKeepsObjectsAcrossRestarts(@TempDir Path dir) throws Exception {
        try (S3ProxyServer first = S3ProxyServer.startFilesystem(dir);
             S3UploadSigner signer = S3UploadSigner.create(first.storage())) {
            first.createBucket("kept");
            PresignedUpload put = signer.presignPut("kept", "a/b.txt", "text/plain", Duration.ofMinutes(1));
            HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(put.url())
                    .header("Content-Type", "text/plain")
                    .PUT(HttpRequest.BodyPublishers.ofString("kept bytes")).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(response.statusCode()).isEqualTo(200);
        }

        try (S3ProxyServer second = S3ProxyServer.startFilesystem(dir);
             S3ObjectVerifier verifier = S3ObjectVerifier.create(second.storage())) {
            assertThat(verifier.head("kept", "a/b.txt")).isInstanceOfSatisfying(ObjectHead.Found.class,
                    f -> assertThat(f.size()).isEqualTo(10));
        }
    }

    @Test
    void eachServerHasItsOwnPortAndKeyPair() {
        try (S3ProxyServer a = S3ProxyServer.startTransient(); S3ProxyServer b = S3ProxyServer.startTransient()) {
            assertThat(a.port()).isNotEqualTo(b.port()).isPositive();
            assertThat(a.endpoint()).hasToString("http://127.0.0.1:" + a.port());
            assertThat(a.secretAccessKey()).isNotEqualTo(b.secretAccessKey());
            assertThat(a.storage().endpoint()).isEqualTo(a.endpoint());
            assertThat(a.storage().pathStyle()).isTrue();
        }
    }

    @Test
    void createBucketIsIdempotentAndRefusesInvalidNames() {
        try (S3ProxyServer server = S3ProxyServer.startTransient()) {
            server.createBucket("twice");
            server.createBucket("twice");

            assertThatThrownBy(() -> server.createBucket("x")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'x'");
        }
    }

    @Test
    void stopIsIdempotentAndEndsBucketCreation() {
        S3ProxyServer server = S3ProxyServer.startTransient();
        server.stop();
        server.stop();

        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(() -> server.createBucket("late")).isInstanceOf(IllegalStateException.class);
    }
}
