package dev.herald.engine.s3;

/**
 * The kind of store an {@link S3Storage} talks to. It decides the default endpoint, region and
 * addressing style, and the shape of {@link S3Storage#publicUrl public URLs}.
 */
public enum S3Provider {
    /** Amazon S3 in one AWS region; virtual-hosted addressing by default. */
    AWS_S3("s3"),
    /** Cloudflare R2: the account endpoint {@code https://<account>.r2.cloudflarestorage.com}, region {@code auto}. */
    R2("r2"),
    /** Any store speaking the S3 API at a given endpoint: MinIO, Supabase Storage, S3Proxy, ...; path-style by default. */
    S3_COMPATIBLE("s3-compatible");

    private final String id;

    S3Provider(String id) {
        this.id = id;
    }

    /** The stable short name stored with an upload and sent in payloads: {@code s3}, {@code r2}, {@code s3-compatible}. */
    public String id() {
        return id;
    }
}
