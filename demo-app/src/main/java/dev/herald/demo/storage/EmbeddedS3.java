package dev.herald.demo.storage;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * S3Proxy on {@code 127.0.0.1} over a directory, so objects outlive a restart like the rest of the demo's
 * data. It checks AWS signatures against a key pair made at each start, so presigned URLs behave as on S3.
 * Thread-safe; {@link #close()} stops it.
 */
final class EmbeddedS3 implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    // Do not wait out idle keep-alive connections when the server stops.
    private static final long STOP_TIMEOUT_MS = 0;

    private final S3Proxy proxy;
    private final BlobStore blobStore;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final URI endpoint;

    private EmbeddedS3(Path directory, int port) throws Exception {
        Files.createDirectories(directory);
        // S3Proxy compares paths as strings to refuse traversal, so "./data/s3" must be normalised first.
        this.blobStore = new FilesystemNio2BlobStore(directory.toAbsolutePath().normalize().toString());
        this.accessKeyId = "herald" + HexFormat.of().formatHex(randomBytes(6));
        this.secretAccessKey = HexFormat.of().formatHex(randomBytes(20));
        this.proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKeyId, secretAccessKey)
                .stopTimeout(STOP_TIMEOUT_MS)
                .build();
        proxy.start();
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /**
     * Starts listening on {@code 127.0.0.1:port} (0 for any free port), keeping objects under
     * {@code directory}.
     *
     * @throws IllegalStateException if it cannot start, for example when the port is taken
     */
    static EmbeddedS3 start(Path directory, int port) {
        try {
            return new EmbeddedS3(directory, port);
        } catch (Exception e) {
            throw new IllegalStateException("the embedded S3 store did not start on 127.0.0.1:" + port
                    + " (set herald.storage.embedded-port to another port)", e);
        }
    }

    URI endpoint() {
        return endpoint;
    }

    String accessKeyId() {
        return accessKeyId;
    }

    String secretAccessKey() {
        return secretAccessKey;
    }

    /** Creates {@code bucket} unless it exists. */
    void createBucket(String bucket) {
        if (!blobStore.containerExists(bucket)) {
            blobStore.createContainer(bucket);
        }
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the embedded S3 store did not stop cleanly", e);
        } finally {
            blobStore.close();
        }
    }

    @Override
    public String toString() {
        return "EmbeddedS3[" + endpoint + "]";
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
