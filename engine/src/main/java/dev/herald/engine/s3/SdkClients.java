package dev.herald.engine.s3;

import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Builds AWS SDK clients from an {@link S3Storage}; the only place that knows how each setting maps. */
final class SdkClients {
    private SdkClients() {
    }

    static S3Presigner presigner(S3Storage storage) {
        S3Presigner.Builder b = S3Presigner.builder()
                .region(Region.of(storage.region()))
                .credentialsProvider(storage.credentialsProvider())
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(storage.pathStyle())
                        .build());
        if (storage.endpointOverride()) {
            b.endpointOverride(storage.endpoint());
        }
        return b.build();
    }

    /**
     * A synchronous client for HEAD requests. {@code httpClient} may be null for the SDK's default; a
     * client given by the host stays the host's to close.
     */
    static S3Client client(S3Storage storage, SdkHttpClient httpClient, Duration timeout, int maxAttempts) {
        S3ClientBuilder b = S3Client.builder()
                .region(Region.of(storage.region()))
                .credentialsProvider(storage.credentialsProvider())
                .forcePathStyle(storage.pathStyle())
                // SDK 2.30+ adds CRC checksums to requests and checks them on responses by default; stores
                // other than AWS (older MinIO, S3Proxy, some gateways) reject or omit them.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o
                        .apiCallTimeout(timeout)
                        // Herald retries on its own schedule, stored durably; SDK retries would only hide
                        // throttling from it and stretch the time one HEAD holds a poller thread.
                        .retryStrategy(maxAttempts == 1
                                ? AwsRetryStrategy.doNotRetry()
                                : AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                        .maxAttempts(maxAttempts).build()));
        if (storage.endpointOverride()) {
            b.endpointOverride(storage.endpoint());
        }
        if (httpClient != null) {
            b.httpClient(httpClient);
        }
        return b.build();
    }
}
