package dev.herald.engine.upload;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A presigned request a client sends without credentials: {@code method} to {@code url} with every header
 * of {@code headers} set to exactly that value, before {@code expiresAt}.
 *
 * @param url           the presigned URL; its query carries the signature, so it is a bearer secret until
 *                      it expires, and {@link #toString()} hides the query
 * @param method        {@code PUT}
 * @param headers       headers the client must send, names in lower case (at least {@code content-type})
 * @param contentLength the exact body size signed in, or null when any size is accepted
 * @param expiresAt     when storage stops accepting the URL
 */
public record PresignedUpload(URI url, String method, Map<String, String> headers, Long contentLength,
                              Instant expiresAt) {
    /**
     * Checks and copies the parts.
     *
     * @throws NullPointerException if {@code url}, {@code method}, {@code headers} or {@code expiresAt} is null
     */
    public PresignedUpload {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(method, "method");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
        return "PresignedUpload[url=" + Payloads.withoutQuery(url) + ", method=" + method + ", headers=" + headers
                + ", contentLength=" + contentLength + ", expiresAt=" + expiresAt + "]";
    }
}
