package dev.herald.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.internal.HttpText;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.EndpointSecret;
import dev.herald.engine.model.Event;
import dev.herald.engine.signing.SigningKey;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks what callers hand the engine and turns it into records. Every refusal is a
 * {@link HeraldException} thrown before anything is stored.
 */
final class Requests {
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
    private static final int MAX_HEADER_NAME = 100;
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-type", "content-length",
            "content-encoding", "transfer-encoding", "connection", "upgrade", "user-agent", "expect", "keep-alive",
            "te", "trailer", "proxy-authorization");
    private static final int MAX_HEADERS = 20;
    private static final int MAX_HEADER_VALUE = 1024;
    /**
     * Characters of all custom headers together, names and values. Receivers commonly cap a request's
     * headers at 8 to 16 KiB, and a store keeps them in one field: the JDBC store's holds 16,384 characters,
     * room for 4,096 even when every one needs escaping.
     */
    private static final int MAX_HEADERS_TOTAL = 4096;
    private static final int MAX_DESCRIPTION = 1000;
    private static final int MAX_EVENT_TYPES = 100;
    /** Characters of all event type filters together; the JDBC store keeps the list in 8,192. */
    private static final int MAX_EVENT_TYPES_TOTAL = 4096;
    private static final int MAX_KEY = 256;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final UrlPolicy urlPolicy;
    private final Set<String> declaredTypes;
    private final int maxPayloadBytes;

    Requests(UrlPolicy urlPolicy, Set<String> declaredTypes, int maxPayloadBytes) {
        this.urlPolicy = urlPolicy;
        this.declaredTypes = Set.copyOf(declaredTypes);
        this.maxPayloadBytes = maxPayloadBytes;
    }

    static ObjectMapper json() {
        return JSON;
    }

    String tenant(String tenant) {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT,
                    "tenant must be 1 to 128 letters, digits or _.:- and start with a letter or digit");
        }
        return tenant;
    }

    Event event(EventRequest request, String eventId, Instant now) {
        tenant(request.tenant());
        eventType(request.type());
        String data = request.data();
        if (data.getBytes(StandardCharsets.UTF_8).length > maxPayloadBytes) {
            throw new HeraldException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "event data is larger than " + maxPayloadBytes + " bytes");
        }
        if (data.isBlank()) {
            throw new HeraldException(ErrorCode.INVALID_PAYLOAD, "event data is empty");
        }
        try {
            JsonNode node = JSON.readTree(data);
            if (node == null || !node.isObject()) {
                throw new HeraldException(ErrorCode.INVALID_PAYLOAD, "event data must be a JSON object");
            }
        } catch (IOException e) {
            throw new HeraldException(ErrorCode.INVALID_PAYLOAD, "event data is not valid JSON");
        }
        optionalKey("subject", request.subject());
        optionalKey("idempotencyKey", request.idempotencyKey());
        Instant occurredAt = request.occurredAt() != null ? request.occurredAt() : now;
        return new Event(eventId, request.tenant(), request.type(), occurredAt, data, request.subject(),
                request.idempotencyKey());
    }

    void eventType(String type) {
        if (!EventTypes.isWellFormed(type)) {
            throw new HeraldException(ErrorCode.INVALID_EVENT_TYPE,
                    "event type must be lower-case words joined by '.', '_' or '-', at most 128 characters");
        }
        if (!isKnown(type)) {
            throw new HeraldException(ErrorCode.INVALID_EVENT_TYPE, "unknown event type: " + type);
        }
    }

    private boolean isKnown(String type) {
        return declaredTypes.isEmpty() || declaredTypes.contains(type) || EventTypes.BUILT_IN.contains(type);
    }

    Set<String> filter(Set<String> filters) {
        if (filters.size() > MAX_EVENT_TYPES) {
            throw new HeraldException(ErrorCode.INVALID_EVENT_TYPE, "at most " + MAX_EVENT_TYPES + " event types");
        }
        int total = 0;
        for (String f : filters) {
            total += f == null ? 0 : f.length();
        }
        if (total > MAX_EVENT_TYPES_TOTAL) {
            throw new HeraldException(ErrorCode.INVALID_EVENT_TYPE,
                    "event types must have at most " + MAX_EVENT_TYPES_TOTAL + " characters in all");
        }
        for (String f : filters) {
            if (f == null || !EventTypes.isWellFormedFilter(f)) {
                throw new HeraldException(ErrorCode.INVALID_EVENT_TYPE,
                        "event type filter must be '*', a type or 'prefix.*'");
            }
            if (!f.endsWith("*") && !isKnown(f)) {
                throw new HeraldException(ErrorCode.INVALID_EVENT_TYPE, "unknown event type in filter: " + f);
            }
        }
        return filters;
    }

    URI url(String url) {
        return urlPolicy.check(url);
    }

    /** Checks a secret's shape; the message never repeats it. */
    String secret(String secret) {
        SigningKey.parse(secret);
        return secret;
    }

    Endpoint endpoint(String tenant, String id, EndpointRequest r, List<EndpointSecret> secrets, boolean adHoc,
                      Instant createdAt, Instant now) {
        tenant(tenant);
        URI url = url(r.url());
        Set<String> types = filter(r.eventTypes());
        if (r.description() != null && r.description().length() > MAX_DESCRIPTION) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT,
                    "description must be at most " + MAX_DESCRIPTION + " characters");
        }
        noNul("description", r.description());
        headers(r.headers());
        if (r.maxInFlight() < 0 || r.maxInFlight() > 1000) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "maxInFlight must be within [0, 1000]");
        }
        if (r.rateLimit() < 0 || r.rateLimit() > 100_000) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "rateLimit must be within [0, 100000]");
        }
        return new Endpoint(id, tenant, url, secrets, types, r.enabled(), r.description(), r.headers(),
                r.maxInFlight(), r.rateLimit(), adHoc, createdAt, now);
    }

    private static void headers(Map<String, String> headers) {
        if (headers.size() > MAX_HEADERS) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "at most " + MAX_HEADERS + " custom headers");
        }
        int total = 0;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (h.getKey().length() > MAX_HEADER_NAME || !HttpText.isToken(h.getKey())) {
                throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "malformed header name");
            }
            if (RESERVED_HEADERS.contains(name) || name.startsWith("webhook-") || name.startsWith("x-webhook-")) {
                throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "header " + h.getKey() + " is set by Herald");
            }
            String value = h.getValue();
            if (value == null || value.length() > MAX_HEADER_VALUE || !HttpText.isFieldValue(value)) {
                throw new HeraldException(ErrorCode.INVALID_ARGUMENT,
                        "header " + h.getKey() + " must have a value of at most " + MAX_HEADER_VALUE
                                + " characters HTTP allows (no line breaks or other control characters)");
            }
            total += h.getKey().length() + value.length();
        }
        if (total > MAX_HEADERS_TOTAL) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT,
                    "custom headers must have at most " + MAX_HEADERS_TOTAL + " characters in all, names and values");
        }
    }

    private static void optionalKey(String name, String value) {
        if (value != null && (value.isEmpty() || value.length() > MAX_KEY)) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, name + " must have 1 to " + MAX_KEY + " characters");
        }
        noNul(name, value);
    }

    /** PostgreSQL keeps no NUL in text: refused here, it would be a store failure there. */
    private static void noNul(String name, String value) {
        if (value != null && value.indexOf('\u0000') >= 0) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, name + " must not contain NUL characters");
        }
    }
}
