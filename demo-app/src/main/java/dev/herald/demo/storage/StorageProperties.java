package dev.herald.demo.storage;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Everything under {@code herald.storage.}: the store uploads go to. An empty {@code provider} (the default)
 * starts an embedded S3-compatible store on {@code 127.0.0.1:<embedded-port>}. Bound once at start-up; not
 * thread-safe while being bound, read-only afterwards. {@link #toString()} shows no credentials.
 */
@ConfigurationProperties("herald.storage")
public class StorageProperties {
    /** The bucket uploads go to unless a request names another: {@code herald-demo}. */
    public static final String DEFAULT_BUCKET = "herald-demo";
    /** Port of the embedded store: 9000. */
    public static final int DEFAULT_EMBEDDED_PORT = 9000;

    private String provider = "";
    private String region = "";
    private String accountId = "";
    private String endpoint = "";
    private String accessKeyId = "";
    private String secretAccessKey = "";
    private String bucket = DEFAULT_BUCKET;
    private String publicBaseUrl = "";
    private int embeddedPort = DEFAULT_EMBEDDED_PORT;

    /** {@code s3}, {@code r2} or {@code s3-compatible}; empty for the embedded store. */
    public String getProvider() {
        return provider;
    }

    public void setProvider(String provider) {
        this.provider = provider == null ? "" : provider;
    }

    /** AWS region (s3), or the signing region of an s3-compatible store (default us-east-1). */
    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region == null ? "" : region;
    }

    /** The Cloudflare account id (r2). */
    public String getAccountId() {
        return accountId;
    }

    public void setAccountId(String accountId) {
        this.accountId = accountId == null ? "" : accountId;
    }

    /** The endpoint URL (s3-compatible). */
    public String getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(String endpoint) {
        this.endpoint = endpoint == null ? "" : endpoint;
    }

    /** Access key id of a configured store; never logged. */
    public String getAccessKeyId() {
        return accessKeyId;
    }

    public void setAccessKeyId(String accessKeyId) {
        this.accessKeyId = accessKeyId == null ? "" : accessKeyId;
    }

    /** Secret access key of a configured store; never logged. */
    public String getSecretAccessKey() {
        return secretAccessKey;
    }

    public void setSecretAccessKey(String secretAccessKey) {
        this.secretAccessKey = secretAccessKey == null ? "" : secretAccessKey;
    }

    /** The default bucket; created at start in the embedded store. */
    public String getBucket() {
        return bucket;
    }

    public void setBucket(String bucket) {
        this.bucket = bucket == null ? "" : bucket;
    }

    /** Optional base URL objects are publicly served from (R2 public bucket, CDN); empty for none. */
    public String getPublicBaseUrl() {
        return publicBaseUrl;
    }

    public void setPublicBaseUrl(String publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl == null ? "" : publicBaseUrl;
    }

    /** Port of the embedded store on 127.0.0.1; 0 for any free port. */
    public int getEmbeddedPort() {
        return embeddedPort;
    }

    public void setEmbeddedPort(int embeddedPort) {
        this.embeddedPort = embeddedPort;
    }

    @Override
    public String toString() {
        return "StorageProperties[provider=" + provider + ", region=" + region + ", endpoint=" + endpoint
                + ", bucket=" + bucket + ", embeddedPort=" + embeddedPort + "]";
    }
}
