package dev.herald.engine.s3;

import dev.herald.engine.spi.ObjectHead;
import dev.herald.engine.spi.ObjectVerifier;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * An {@link ObjectVerifier} for S3, R2 and S3-compatible stores: one {@code HeadObject} per call.
 * <ul>
 *   <li>the object exists: {@link ObjectHead.Found} with its size, ETag (without quotes), content type and
 *       last-modified time;</li>
 *   <li>storage answers 404: {@link ObjectHead.Missing};</li>
 *   <li>anything else (throttling, 5xx, 403, wrong region, timeout, unreachable):
 *       {@link ObjectHead.Unavailable} with a reason. Nothing is thrown for storage trouble.</li>
 * </ul>
 * The SDK does not retry by default ({@link Builder#maxAttempts}): Herald asks again on its own schedule.
 *
 * <p>Thread-safe; one instance serves every bucket of its {@link S3Storage}. {@link #close()} releases the
 * SDK client (and its HTTP client, unless the host supplied one).
 */
public final class S3ObjectVerifier implements ObjectVerifier, AutoCloseable {

    /** Default limit on one {@link #head} call, all attempts included. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Default number of HTTP attempts per {@link #head} call: no SDK retry. */
    public static final int DEFAULT_MAX_ATTEMPTS = 1;

    private static final Logger log = LoggerFactory.getLogger(S3ObjectVerifier.class);
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);
    private static final int MAX_ATTEMPTS_LIMIT = 10;

    private final S3Storage storage;
    private final S3Client client;

    private S3ObjectVerifier(Builder b) {
        this.storage = b.storage;
        this.client = SdkClients.client(b.storage, b.httpClient, b.timeout, b.maxAttempts);
    }

    /**
     * A verifier for {@code storage} with the defaults.
     *
     * @throws NullPointerException if {@code storage} is null
     */
    public static S3ObjectVerifier create(S3Storage storage) {
        return builder(storage).build();
    }

    /**
     * A builder for a verifier of {@code storage}.
     *
     * @throws NullPointerException if {@code storage} is null
     */
    public static Builder builder(S3Storage storage) {
        return new Builder(Objects.requireNonNull(storage, "storage"));
    }

    /** The storage this verifier asks. */
    public S3Storage storage() {
        return storage;
    }

    /**
     * HEADs {@code bucket}/{@code key}. Blocks for at most the configured timeout.
     *
     * @throws NullPointerException     if {@code bucket} or {@code key} is null
     * @throws IllegalArgumentException if the bucket or key is malformed (see {@link S3UploadSigner#presignPut});
     *                                  storage trouble is never thrown
     */
    @Override
    public ObjectHead head(String bucket, String key) {
        StorageNames.checkBucket(bucket);
        StorageNames.checkKey(key);
        ObjectHead head;
        try {
            HeadObjectResponse response = client.headObject(r -> r.bucket(bucket).key(key));
            head = HeadOutcomes.found(response);
        } catch (AbortedException e) {
            // The SDK turns an interrupt into this exception; keep the flag for the caller's loop.
            Thread.currentThread().interrupt();
            head = HeadOutcomes.failed(e);
        } catch (RuntimeException e) {
            head = HeadOutcomes.failed(e);
            if (head instanceof ObjectHead.Unavailable u && u.reason().startsWith("unexpected error")) {
                log.warn("HEAD {}/{} failed unexpectedly", bucket, key, e);
            }
        }
        if (head instanceof ObjectHead.Unavailable u) {
            log.debug("HEAD {}/{} on {}: unavailable, {}", bucket, key, storage.provider().id(), u.reason());
        }
        return head;
    }

    /** Releases the SDK client. Idempotent. */
    @Override
    public void close() {
        client.close();
    }

    /** The storage, without credentials. */
    @Override
    public String toString() {
        return "S3ObjectVerifier[" + storage + "]";
    }

    /**
     * Settings of an {@link S3ObjectVerifier}. Each setter checks its argument and may be called once.
     * Not thread-safe.
     */
    public static final class Builder {
        private final S3Storage storage;
        private Duration timeout = DEFAULT_TIMEOUT;
        private boolean timeoutSet;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private boolean maxAttemptsSet;
        private SdkHttpClient httpClient;

        private Builder(S3Storage storage) {
            this.storage = storage;
        }

        /**
         * Limit on one {@link S3ObjectVerifier#head} call, all attempts included; past it the answer is
         * {@link ObjectHead.Unavailable}. Default {@link #DEFAULT_TIMEOUT} (10 s).
         *
         * @throws NullPointerException     if {@code timeout} is null
         * @throws IllegalArgumentException if {@code timeout} is outside 100 ms to 5 minutes
         * @throws IllegalStateException    if already set
         */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException("timeout must be between " + MIN_TIMEOUT + " and " + MAX_TIMEOUT
                        + ", was " + timeout);
            }
            if (timeoutSet) {
                throw new IllegalStateException("timeout was already set to " + this.timeout);
            }
            this.timeout = timeout;
            this.timeoutSet = true;
            return this;
        }

        /**
         * HTTP attempts per call, retries made by the SDK with its standard backoff. Default
         * {@link #DEFAULT_MAX_ATTEMPTS} (1: no retry, since Herald retries on its own schedule).
         *
         * @throws IllegalArgumentException if {@code maxAttempts} is outside 1 to 10
         * @throws IllegalStateException    if already set
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
                throw new IllegalArgumentException("maxAttempts must be between 1 and " + MAX_ATTEMPTS_LIMIT
                        + ", was " + maxAttempts);
            }
            if (maxAttemptsSet) {
                throw new IllegalStateException("maxAttempts was already set to " + this.maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            this.maxAttemptsSet = true;
            return this;
        }

        /**
         * The SDK HTTP client to use, for hosts that tune connection pools or proxies. Default: the SDK's
         * own choice from the classpath, closed with the verifier. A client given here is not closed by the
         * verifier.
         *
         * @throws NullPointerException  if {@code httpClient} is null
         * @throws IllegalStateException if already set
         */
        public Builder httpClient(SdkHttpClient httpClient) {
            Objects.requireNonNull(httpClient, "httpClient");
            if (this.httpClient != null) {
                throw new IllegalStateException("httpClient was already set");
            }
            this.httpClient = httpClient;
            return this;
        }

        /** A new verifier with these settings. Each call builds its own SDK client. */
        public S3ObjectVerifier build() {
            return new S3ObjectVerifier(this);
        }
    }
}
