package dev.herald.engine.s3;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Where uploads are stored and how to reach that store: the {@link S3Provider provider}, its endpoint and
 * region, path-style or virtual-hosted addressing, the access key, and an optional public base URL.
 * One {@code S3Storage} serves any number of buckets of one account.
 *
 * <p>Start from {@link #awsS3(String)}, {@link #r2(String)} or {@link #s3Compatible(URI)}:
 * <pre>{@code
 * S3Storage r2 = S3Storage.r2("0123456789abcdef0123456789abcdef")
 *         .credentials(accessKeyId, secretAccessKey)
 *         .publicBaseUrl(URI.create("https://files.example.com"))
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. The secret access key never appears in {@link #toString()}, in a log line
 * or in an exception message; neither does the access key id.
 */
public final class S3Storage {

    /** Region used by {@link #s3Compatible(URI)} stores unless {@link Builder#region(String)} says otherwise. */
    public static final String DEFAULT_COMPATIBLE_REGION = "us-east-1";
    /** The only region R2 accepts. */
    public static final String R2_REGION = "auto";

    private static final Pattern REGION = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern R2_ACCOUNT = Pattern.compile("[0-9a-fA-F]{32}");

    private final S3Provider provider;
    private final String region;
    private final URI endpoint;
    private final boolean pathStyle;
    private final URI publicBaseUrl;
    private final String accessKeyId;
    private final String secretAccessKey;

    private S3Storage(Builder b) {
        this.provider = b.provider;
        this.region = b.region;
        this.endpoint = b.provider == S3Provider.AWS_S3 ? awsEndpoint(b.region) : b.endpoint;
        this.pathStyle = b.pathStyle != null ? b.pathStyle : b.provider == S3Provider.S3_COMPATIBLE;
        this.publicBaseUrl = b.publicBaseUrl;
        this.accessKeyId = b.accessKeyId;
        this.secretAccessKey = b.secretAccessKey;
    }

    /**
     * Amazon S3 in {@code region} (for example {@code eu-west-1}); virtual-hosted addressing unless
     * {@link Builder#pathStyle(boolean) pathStyle(true)}.
     *
     * @throws NullPointerException     if {@code region} is null
     * @throws IllegalArgumentException if {@code region} is not 1 to 64 letters, digits, {@code -} or {@code _}
     */
    public static Builder awsS3(String region) {
        Builder b = new Builder(S3Provider.AWS_S3);
        b.region = checkRegion(region);
        b.regionSetBy = "awsS3(region)";
        return b;
    }

    /**
     * Cloudflare R2 of the account {@code accountId} (32 hex digits, shown in the Cloudflare dashboard):
     * endpoint {@code https://<accountId>.r2.cloudflarestorage.com}, region {@code auto}. For a
     * jurisdiction endpoint ({@code <accountId>.eu.r2.cloudflarestorage.com}) use {@link #s3Compatible(URI)}
     * with region {@code auto}.
     *
     * @throws NullPointerException     if {@code accountId} is null
     * @throws IllegalArgumentException if {@code accountId} is not 32 hex digits
     */
    public static Builder r2(String accountId) {
        Objects.requireNonNull(accountId, "accountId");
        if (!R2_ACCOUNT.matcher(accountId).matches()) {
            throw new IllegalArgumentException("accountId must be the 32 hex digits of a Cloudflare account id");
        }
        Builder b = new Builder(S3Provider.R2);
        b.region = R2_REGION;
        b.endpoint = URI.create("https://" + accountId.toLowerCase(Locale.ROOT) + ".r2.cloudflarestorage.com");
        return b;
    }

    /**
     * Any store speaking the S3 API at {@code endpoint}: MinIO ({@code http://127.0.0.1:9000}), Supabase
     * Storage ({@code https://<project>.supabase.co/storage/v1/s3}), S3Proxy, ... Path-style addressing and
     * region {@value #DEFAULT_COMPATIBLE_REGION} unless changed on the builder.
     *
     * @throws NullPointerException     if {@code endpoint} is null
     * @throws IllegalArgumentException if {@code endpoint} is not an absolute http(s) URL with a host, or has
     *                                  user info, a query or a fragment
     */
    public static Builder s3Compatible(URI endpoint) {
        Builder b = new Builder(S3Provider.S3_COMPATIBLE);
        b.endpoint = checkBaseUrl(endpoint, "endpoint");
        b.region = DEFAULT_COMPATIBLE_REGION;
        return b;
    }

    /** The kind of store. */
    public S3Provider provider() {
        return provider;
    }

    /** The signing region: the AWS region, {@code auto} for R2, {@value #DEFAULT_COMPATIBLE_REGION} or as set for others. */
    public String region() {
        return region;
    }

    /**
     * The service endpoint, without a trailing slash: {@code https://s3.<region>.amazonaws.com} for AWS,
     * the account endpoint for R2, the given URL for compatible stores.
     */
    public URI endpoint() {
        return endpoint;
    }

    /** Whether buckets are addressed in the path ({@code endpoint/bucket/key}) rather than the host name. */
    public boolean pathStyle() {
        return pathStyle;
    }

    /** The public base URL objects are served from, if one was configured. */
    public Optional<URI> publicBaseUrl() {
        return Optional.ofNullable(publicBaseUrl);
    }

    /**
     * The URL at which {@code bucket}/{@code key} can be fetched, with each key segment percent-encoded:
     * <ul>
     *   <li>with a {@link Builder#publicBaseUrl public base URL}: {@code <base>/<key>} for every provider
     *       (the base, an R2 {@code r2.dev} or custom domain or a CDN, serves one bucket);</li>
     *   <li>AWS S3: {@code https://<bucket>.s3.<region>.amazonaws.com/<key>}, or
     *       {@code https://s3.<region>.amazonaws.com/<bucket>/<key>} when path-style (use that for bucket
     *       names with dots, which break the TLS certificate of a virtual-hosted name);</li>
     *   <li>R2: {@code https://<account>.r2.cloudflarestorage.com/<bucket>/<key>} (reachable only with
     *       credentials: configure a public base URL for links clients can open);</li>
     *   <li>S3-compatible: {@code <endpoint>/<bucket>/<key>}, or the bucket as the first host label when
     *       not path-style.</li>
     * </ul>
     * Whether the URL answers without credentials depends on the bucket's policy, not on this method.
     * Pure and thread-safe.
     *
     * @throws NullPointerException     if {@code bucket} or {@code key} is null
     * @throws IllegalArgumentException if the bucket or key is malformed (see {@link S3UploadSigner#presignPut})
     */
    public URI publicUrl(String bucket, String key) {
        StorageNames.checkBucket(bucket);
        StorageNames.checkKey(key);
        String encodedKey = StorageNames.encodePath(key);
        if (publicBaseUrl != null) {
            return URI.create(publicBaseUrl + "/" + encodedKey);
        }
        if (pathStyle || provider == S3Provider.R2) {
            return URI.create(endpoint + "/" + StorageNames.encodeSegment(bucket) + "/" + encodedKey);
        }
        String port = endpoint.getPort() == -1 ? "" : ":" + endpoint.getPort();
        String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
        return URI.create(endpoint.getScheme() + "://" + bucket + "." + endpoint.getHost() + port + path
                + "/" + encodedKey);
    }

    /** The configuration without credentials, for logs. */
    @Override
    public String toString() {
        return "S3Storage[provider=" + provider + ", endpoint=" + endpoint + ", region=" + region
                + ", pathStyle=" + pathStyle + ", publicBaseUrl=" + publicBaseUrl + "]";
    }

    /** Whether the SDK must be pointed at {@link #endpoint()}; for AWS it resolves the endpoint itself. */
    boolean endpointOverride() {
        return provider != S3Provider.AWS_S3;
    }

    AwsCredentialsProvider credentialsProvider() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    }

    private static URI awsEndpoint(String region) {
        // China regions live under their own top-level domain.
        String domain = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        return URI.create("https://s3." + region + "." + domain);
    }

    private static String checkRegion(String region) {
        Objects.requireNonNull(region, "region");
        if (!REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region must be 1 to 64 letters, digits, '-' or '_'");
        }
        return region;
    }

    static URI checkBaseUrl(URI url, String name) {
        Objects.requireNonNull(url, name);
        if (url.getRawUserInfo() != null) {
            // Never echo the URL here: its user info may carry a password.
            throw new IllegalArgumentException(name + " must not carry user info; give credentials separately");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException(name + " must be an absolute http or https URL: " + url);
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException(name + " must name a host: " + url);
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException(name + " must not have a query or a fragment: " + url);
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String port = url.getPort() == -1 ? "" : ":" + url.getPort();
        return URI.create(scheme + "://" + url.getHost() + port + path);
    }

    /**
     * Collects the settings of an {@link S3Storage}. Each setter checks its argument and may be called
     * once. {@link #build()} copies the settings, so the builder can be reused. Not thread-safe.
     */
    public static final class Builder {
        private final S3Provider provider;
        private String region;
        private String regionSetBy;
        private URI endpoint;
        private Boolean pathStyle;
        private URI publicBaseUrl;
        private String accessKeyId;
        private String secretAccessKey;

        private Builder(S3Provider provider) {
            this.provider = provider;
        }

        /**
         * The access key pair. Required. Neither value is ever logged, shown in {@code toString()} or put in
         * an exception message.
         *
         * @throws NullPointerException     if either is null
         * @throws IllegalArgumentException if either is blank or holds whitespace
         * @throws IllegalStateException    if credentials were already set
         */
        public Builder credentials(String accessKeyId, String secretAccessKey) {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
            if (accessKeyId.isBlank() || hasWhitespace(accessKeyId)) {
                throw new IllegalArgumentException("accessKeyId must be non-blank and hold no whitespace");
            }
            if (secretAccessKey.isBlank() || hasWhitespace(secretAccessKey)) {
                throw new IllegalArgumentException("secretAccessKey must be non-blank and hold no whitespace");
            }
            if (this.accessKeyId != null) {
                throw new IllegalStateException("credentials(accessKeyId, secretAccessKey) was already called");
            }
            this.accessKeyId = accessKeyId;
            this.secretAccessKey = secretAccessKey;
            return this;
        }

        /**
         * The signing region of an S3-compatible store (default {@value S3Storage#DEFAULT_COMPATIBLE_REGION}).
         * AWS takes its region in {@link S3Storage#awsS3(String)}; R2 always uses {@code auto}.
         *
         * @throws NullPointerException     if {@code region} is null
         * @throws IllegalArgumentException if {@code region} is not 1 to 64 letters, digits, {@code -} or {@code _}
         * @throws IllegalStateException    for R2, for AWS, or if the region was already set
         */
        public Builder region(String region) {
            String checked = checkRegion(region);
            if (provider == S3Provider.R2) {
                throw new IllegalStateException("R2 always uses region 'auto'; region(...) does not apply to r2(accountId)");
            }
            if (regionSetBy != null) {
                throw new IllegalStateException("region was already set by " + regionSetBy);
            }
            this.region = checked;
            this.regionSetBy = "region(region)";
            return this;
        }

        /**
         * Path-style ({@code endpoint/bucket/key}, true) or virtual-hosted ({@code bucket.endpoint/key}, false)
         * addressing. Default: true for S3-compatible stores (MinIO, Supabase and S3Proxy need it), false for
         * AWS S3 and R2.
         *
         * @throws IllegalStateException if already set
         */
        public Builder pathStyle(boolean pathStyle) {
            if (this.pathStyle != null) {
                throw new IllegalStateException("pathStyle was already set to " + this.pathStyle);
            }
            this.pathStyle = pathStyle;
            return this;
        }

        /**
         * The base URL objects are publicly served from, such as an R2 {@code https://pub-<id>.r2.dev}
         * address, a custom domain or a CDN in front of a bucket; {@link S3Storage#publicUrl} then answers
         * {@code <base>/<key>}. Optional; no default. A trailing slash is dropped.
         *
         * @throws NullPointerException     if {@code publicBaseUrl} is null
         * @throws IllegalArgumentException if it is not an absolute http(s) URL with a host, or has user
         *                                  info, a query or a fragment
         * @throws IllegalStateException    if already set
         */
        public Builder publicBaseUrl(URI publicBaseUrl) {
            URI checked = checkBaseUrl(publicBaseUrl, "publicBaseUrl");
            if (this.publicBaseUrl != null) {
                throw new IllegalStateException("publicBaseUrl was already set to " + this.publicBaseUrl);
            }
            this.publicBaseUrl = checked;
            return this;
        }

        /**
         * A new immutable {@link S3Storage} from the current settings.
         *
         * @throws IllegalStateException if {@link #credentials} was not called
         */
        public S3Storage build() {
            if (accessKeyId == null) {
                throw new IllegalStateException("credentials(accessKeyId, secretAccessKey) must be called before build()");
            }
            return new S3Storage(this);
        }

        private static boolean hasWhitespace(String s) {
            return s.chars().anyMatch(Character::isWhitespace);
        }
    }
}
