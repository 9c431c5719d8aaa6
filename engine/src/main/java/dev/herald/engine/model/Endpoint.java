package dev.herald.engine.model;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A receiver registered by a tenant. An ad-hoc webhook given with one upload is an endpoint too
 * ({@code adHoc}); it receives only the events addressed to it, never fan-out.
 *
 * @param id          {@code ep_…}
 * @param tenant      owner
 * @param url         where requests go
 * @param secrets     signing secrets, newest first; more than one only during rotation
 * @param eventTypes  filter: exact types, {@code prefix.*} or {@code *}; empty means every type
 * @param enabled     disabled endpoints get no new deliveries and pending ones wait
 * @param description free text for people, may be empty
 * @param headers     extra request headers, sent as given
 * @param maxInFlight requests at once to this endpoint; 0 means the engine default
 * @param rateLimit   requests per second to this endpoint; 0 means unlimited
 * @param adHoc       true for a one-off webhook of an upload
 * @param createdAt   when registered
 * @param updatedAt   when last changed
 */
public record Endpoint(String id, String tenant, URI url, List<EndpointSecret> secrets, Set<String> eventTypes,
                       boolean enabled, String description, Map<String, String> headers, int maxInFlight,
                       int rateLimit, boolean adHoc, Instant createdAt, Instant updatedAt) {
    public Endpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(url, "url");
        secrets = List.copyOf(secrets);
        eventTypes = Set.copyOf(eventTypes);
        description = description == null ? "" : description;
        headers = Map.copyOf(headers);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** Whether this endpoint wants events of {@code type}. Ad-hoc endpoints want none by fan-out. */
    public boolean subscribesTo(String type) {
        if (adHoc || !enabled) {
            return false;
        }
        if (eventTypes.isEmpty() || eventTypes.contains("*") || eventTypes.contains(type)) {
            return true;
        }
        for (String filter : eventTypes) {
            if (filter.endsWith(".*") && type.startsWith(filter.substring(0, filter.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /** The secrets that sign at {@code now}, newest first. */
    public List<EndpointSecret> signingSecrets(Instant now) {
        return secrets.stream().filter(s -> s.activeAt(now)).toList();
    }

    public Endpoint withEnabled(boolean value, Instant now) {
        return new Endpoint(id, tenant, url, secrets, eventTypes, value, description, headers, maxInFlight, rateLimit,
                adHoc, createdAt, now);
    }

    public Endpoint withSecrets(List<EndpointSecret> value, Instant now) {
        return new Endpoint(id, tenant, url, value, eventTypes, enabled, description, headers, maxInFlight, rateLimit,
                adHoc, createdAt, now);
    }

    @Override
    public String toString() {
        return "Endpoint[id=" + id + ", tenant=" + tenant + ", url=" + url + ", enabled=" + enabled
                + ", eventTypes=" + eventTypes + ", adHoc=" + adHoc + ", secrets=" + secrets.size() + "]";
    }
}
