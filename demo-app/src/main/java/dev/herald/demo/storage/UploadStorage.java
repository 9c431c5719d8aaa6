package dev.herald.demo.storage;

import dev.herald.engine.s3.S3Storage;
import dev.herald.engine.s3.S3Uploads;
import dev.herald.engine.upload.UploadSettings;
import io.micronaut.context.exceptions.ConfigurationException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store uploads go to and the engine's presigner and verifier for it: the configured S3, R2 or
 * S3-compatible store, or an embedded S3-compatible one started on {@code 127.0.0.1} with a fresh key pair and
 * the default bucket created. Close it after the engine. Thread-safe.
 */
public final class UploadStorage implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UploadStorage.class);

    private final S3Uploads uploads;
    private final EmbeddedS3 embedded;
    private final String bucket;
    private final S3Storage storage;
    private final AtomicBoolean closed = new AtomicBoolean();

    private UploadStorage(S3Storage storage, EmbeddedS3 embedded, String bucket) {
        this.storage = storage;
        this.uploads = S3Uploads.create(storage);
        this.embedded = embedded;
        this.bucket = bucket;
    }

    /**
     * The configured store, or the embedded one (objects under {@code dataDir/s3}) when no provider is set.
     *
     * @throws ConfigurationException when a setting is missing or refused, or the embedded store cannot start
     */
    public static UploadStorage start(StorageProperties properties, Path dataDir) {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(dataDir, "dataDir");
        String bucket = properties.getBucket();
        if (bucket.isBlank()) {
            throw new ConfigurationException("herald.storage.bucket must not be empty");
        }
        String provider = properties.getProvider().trim().toLowerCase(Locale.ROOT);
        if (provider.isEmpty()) {
            return embedded(properties, dataDir, bucket);
        }
        try {
            S3Storage.Builder builder = switch (provider) {
                case "s3" -> S3Storage.awsS3(required(properties.getRegion(), "region"));
                case "r2" -> S3Storage.r2(required(properties.getAccountId(), "account-id"));
                case "s3-compatible" -> {
                    S3Storage.Builder b = S3Storage.s3Compatible(URI.create(required(properties.getEndpoint(), "endpoint")));
                    if (!properties.getRegion().isBlank()) {
                        b.region(properties.getRegion());
                    }
                    yield b;
                }
                default -> throw new ConfigurationException("herald.storage.provider must be s3, r2 or s3-compatible, "
                        + "or empty for the embedded store");
            };
            if (!properties.getPublicBaseUrl().isBlank()) {
                builder.publicBaseUrl(URI.create(properties.getPublicBaseUrl()));
            }
            builder.credentials(required(properties.getAccessKeyId(), "access-key-id"),
                    required(properties.getSecretAccessKey(), "secret-access-key"));
            S3Storage storage = builder.build();
            log.info("Uploads go to {} bucket {}", storage, bucket);
            return new UploadStorage(storage, null, bucket);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The messages of S3Storage never carry credentials.
            throw new ConfigurationException("herald.storage: " + e.getMessage(), e);
        }
    }

    private static UploadStorage embedded(StorageProperties properties, Path dataDir, String bucket) {
        int port = properties.getEmbeddedPort();
        if (port < 0 || port > 65535) {
            throw new ConfigurationException("herald.storage.embedded-port must be in [0, 65535]");
        }
        EmbeddedS3 s3;
        try {
            s3 = EmbeddedS3.start(dataDir.resolve("s3"), port);
        } catch (IllegalStateException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
        try {
            s3.createBucket(bucket);
            S3Storage storage = S3Storage.s3Compatible(s3.endpoint())
                    .credentials(s3.accessKeyId(), s3.secretAccessKey()).build();
            log.info("Embedded S3-compatible store listening on {} (bucket {}, objects in {})", s3.endpoint(), bucket,
                    dataDir.resolve("s3"));
            return new UploadStorage(storage, s3, bucket);
        } catch (RuntimeException e) {
            s3.close();
            throw e;
        }
    }

    private static String required(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new ConfigurationException("herald.storage." + name + " is required for this provider");
        }
        return value.trim();
    }

    /** Upload settings for the engine: this store's presigner and verifier, the default bucket set. */
    public UploadSettings.Builder settings() {
        return uploads.settings().defaultBucket(bucket);
    }

    /** The default bucket. */
    public String bucket() {
        return bucket;
    }

    /** The store, without credentials in its {@code toString()}. */
    public S3Storage storage() {
        return storage;
    }

    /** Whether this is the embedded store. */
    public boolean embedded() {
        return embedded != null;
    }

    /** Closes the presigner and verifier, then stops the embedded store if there is one. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            uploads.close();
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    @Override
    public String toString() {
        return "UploadStorage[" + storage + ", bucket=" + bucket + "]";
    }
}
