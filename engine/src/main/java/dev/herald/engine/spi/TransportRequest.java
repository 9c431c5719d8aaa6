package dev.herald.engine.spi;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One signed webhook request: always a {@code POST} of a JSON body.
 *
 * @param url     the endpoint URL, already checked against the URL policy
 * @param headers every header to send (signatures, ids, the endpoint's own), single-valued
 * @param body    the raw body; signatures are over these exact bytes
 * @param timeout the whole request's deadline, connection included
 */
public record TransportRequest(URI url, Map<String, String> headers, byte[] body, Duration timeout) {
    public TransportRequest {
        Objects.requireNonNull(url, "url");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(timeout, "timeout");
    }
}
