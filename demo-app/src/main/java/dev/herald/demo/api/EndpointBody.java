package dev.herald.demo.api;

import io.micronaut.core.annotation.Nullable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /v1/endpoints} and {@code PUT /v1/endpoints/{id}}. Every field but {@code url} is
 * optional. Read strictly by {@link #from}; {@link #toString()} never shows the secret.
 *
 * @param url         where webhooks go; https unless the server allows http
 * @param eventTypes  exact types, {@code prefix.*} or {@code *}; absent or empty means every type; at most 100,
 *                    4,096 characters in all
 * @param description free text, up to 1,000 characters
 * @param headers     extra request headers sent with every webhook: at most 20, values of at most 1,024
 *                    characters HTTP allows, 4,096 characters in all
 * @param secret      a signing secret to use ({@code whsec_…} or at least 16 characters); absent to get a
 *                    generated one (on update: to keep the current one)
 * @param enabled     default true on create; on update, absent keeps the current state
 * @param maxInFlight requests at once to this endpoint; absent or 0 for the server default
 * @param rateLimit   requests per second; absent or 0 for unlimited
 */
@Schema(name = "EndpointRequest", requiredProperties = "url")
public record EndpointBody(@Nullable String url, @Nullable List<String> eventTypes, @Nullable String description,
                           @Nullable Map<String, String> headers, @Nullable String secret, @Nullable Boolean enabled,
                           @Nullable Integer maxInFlight, @Nullable Integer rateLimit) {
    private static final Set<String> FIELDS = Set.of("url", "eventTypes", "description", "headers", "secret",
            "enabled", "maxInFlight", "rateLimit");

    /** Reads a request body strictly; see {@link JsonBody}. */
    static EndpointBody from(String body) {
        JsonBody b = JsonBody.of(body, FIELDS);
        return new EndpointBody(b.string("url"), b.strings("eventTypes"), b.string("description"),
                b.stringMap("headers"), b.string("secret"), b.bool("enabled"), b.integer("maxInFlight"),
                b.integer("rateLimit"));
    }

    @Override
    public String toString() {
        return "EndpointBody[url=" + url + ", eventTypes=" + eventTypes + ", enabled=" + enabled + "]";
    }
}
