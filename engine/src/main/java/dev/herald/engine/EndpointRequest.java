package dev.herald.engine;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a tenant asks for when creating or replacing an endpoint. Checked by the engine: the URL against
 * the URL policy, event types against the catalogue, the secret's shape, headers and limits.
 *
 * @param url         absolute http(s) URL
 * @param eventTypes  exact types, {@code prefix.*} or {@code *}; empty means every type
 * @param description free text, up to 1,000 characters; null for none
 * @param headers     extra request headers (not the signature or content headers); null for none
 * @param secret      a signing secret to use; null to have the engine generate a {@code whsec_} one
 * @param enabled     whether it takes deliveries at once
 * @param maxInFlight requests at once to this endpoint, 0 for the engine default
 * @param rateLimit   requests per second, 0 for unlimited
 */
public record EndpointRequest(String url, Set<String> eventTypes, String description, Map<String, String> headers,
                              String secret, boolean enabled, int maxInFlight, int rateLimit) {
    public EndpointRequest {
        Objects.requireNonNull(url, "url");
        eventTypes = eventTypes == null ? Set.of() : Set.copyOf(eventTypes);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** An enabled endpoint for {@code url} taking {@code eventTypes}, with a generated secret. */
    public static EndpointRequest of(String url, String... eventTypes) {
        return new EndpointRequest(url, Set.of(eventTypes), null, null, null, true, 0, 0);
    }

    /** The same request with the given secret. */
    public EndpointRequest withSecret(String value) {
        return new EndpointRequest(url, eventTypes, description, headers, value, enabled, maxInFlight, rateLimit);
    }

    @Override
    public String toString() {
        return "EndpointRequest[url=" + url + ", eventTypes=" + eventTypes + ", enabled=" + enabled + "]";
    }
}
