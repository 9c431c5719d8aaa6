package dev.herald.engine.s3;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3 API in the test's own JVM: S3Proxy on {@code 127.0.0.1} at a free port, over an in-memory
 * ({@link #startTransient()}) or a directory ({@link #startFilesystem(Path)}) store. It checks AWS
 * signatures (V2 or V4, headers or presigned query) against a random key pair made for each server, so a
 * tampered presigned request fails as it would on S3.
 *
 * <p>Addressing is path-style ({@code http://127.0.0.1:<port>/<bucket>/<key>}), region
 * {@value #REGION}; {@link #storage()} gives the matching {@link S3Storage}. Other modules reach this class
 * through the engine's test-jar. Thread-safe for use from tests; {@link #close()} stops it.
 */
public final class S3ProxyServer implements AutoCloseable {

    /** The region S3Proxy signs with and {@link #storage()} names. */
    public static final String REGION = S3Storage.DEFAULT_COMPATIBLE_REGION;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long STOP_TIMEOUT_MS = 0;
    private static final Pattern S3_BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private final S3Proxy proxy;
    private final BlobStore blobStore;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final URI endpoint;
    private volatile boolean stopped;

    private S3ProxyServer(BlobStore blobStore) throws Exception {
        this.blobStore = blobStore;
        this.accessKeyId = "herald" + HexFormat.of().formatHex(randomBytes(6));
        this.secretAccessKey = HexFormat.of().formatHex(randomBytes(20));
        this.proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKeyId, secretAccessKey)
                // Tests stop servers on purpose; do not wait out idle keep-alive connections.
                .stopTimeout(STOP_TIMEOUT_MS)
                .build();
        proxy.start();
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /**
     * Starts a server keeping objects in memory; they vanish when it stops.
     *
     * @throws IllegalStateException if it cannot start
     */
    public static S3ProxyServer startTransient() {
        return start(new TransientNio2BlobStore());
    }

    /**
     * Starts a server keeping objects under {@code directory}, one sub-directory per bucket, so they
     * outlive the server.
     *
     * @throws NullPointerException  if {@code directory} is null
     * @throws IllegalStateException if it cannot start
     */
    public static S3ProxyServer startFilesystem(Path directory) {
        Objects.requireNonNull(directory, "directory");
        return start(new FilesystemNio2BlobStore(directory.toAbsolutePath().toString()));
    }

    private static S3ProxyServer start(BlobStore store) {
        try {
            return new S3ProxyServer(store);
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not start", e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, no trailing slash. */
    public URI endpoint() {
        return endpoint;
    }

    /** The port it listens on. */
    public int port() {
        return endpoint.getPort();
    }

    /** The access key id it accepts. */
    public String accessKeyId() {
        return accessKeyId;
    }

    /** The secret key it checks signatures with. */
    public String secretAccessKey() {
        return secretAccessKey;
    }

    /** An S3-compatible, path-style {@link S3Storage} pointing at this server with its key pair. */
    public S3Storage storage() {
        return storage(S3Storage.s3Compatible(endpoint));
    }

    /** The given builder, completed with this server's key pair: for a storage with extra settings. */
    public S3Storage storage(S3Storage.Builder builder) {
        return builder.credentials(accessKeyId, secretAccessKey).build();
    }

    /**
     * Creates {@code bucket} if it does not exist yet.
     *
     * @throws IllegalArgumentException if the name breaks the S3 rules (3 to 63 lower-case letters, digits,
     *                                  dots and hyphens)
     * @throws IllegalStateException    if the server has been stopped
     */
    public void createBucket(String bucket) {
        Objects.requireNonNull(bucket, "bucket");
        if (stopped) {
            throw new IllegalStateException("S3Proxy has been stopped");
        }
        // S3Proxy's store takes names its HTTP side then answers NoSuchBucket for; check the S3 rules here.
        if (!S3_BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("bucket '" + bucket + "' breaks the S3 naming rules: 3 to 63 "
                    + "lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit");
        }
        if (!blobStore.containerExists(bucket)) {
            blobStore.createContainer(bucket);
        }
    }

    /** Whether {@link #stop()} has not been called. */
    public boolean isRunning() {
        return !stopped;
    }

    /** Stops listening; the port refuses connections afterwards. Idempotent. */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("S3Proxy did not stop cleanly", e);
        } finally {
            blobStore.close();
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "S3ProxyServer[" + endpoint + "]";
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
