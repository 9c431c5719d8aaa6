package dev.herald.engine.s3;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A presigned PUT a client can send without credentials: {@code method} to {@code url} with every header
 * of {@code headers} set to exactly that value, before {@code expiresAt}. A different content type (or,
 * when {@code contentLength} is given, a body of another size) breaks the signature and storage refuses
 * the upload.
 *
 * @param url           the presigned URL; its query carries the signature, so treat it as a bearer secret
 * @param method        always {@code PUT}
 * @param headers       headers the client must send, names in lower case (at least {@code content-type});
 *                      {@code host} and {@code content-length} are left out because HTTP clients set them
 * @param contentLength the exact body size signed into the URL, or null when any size is accepted
 * @param expiresAt     when storage stops accepting the URL
 */
public record PresignedPut(URI url, String method, Map<String, String> headers, Long contentLength,
                           Instant expiresAt) {
    /**
     * Checks and copies the parts.
     *
     * @throws NullPointerException if {@code url}, {@code method}, {@code headers} or {@code expiresAt} is null
     */
    public PresignedPut {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Hides the signature part of the URL: the URL itself is a credential until it expires. */
    @Override
    public String toString() {
        String u = url.toString();
        int q = u.indexOf('?');
        return "PresignedPut[url=" + (q < 0 ? u : u.substring(0, q) + "?…") + ", method=" + method
                + ", headers=" + headers + ", contentLength=" + contentLength + ", expiresAt=" + expiresAt + "]";
    }
}
