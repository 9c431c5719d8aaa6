package dev.herald.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A thin test client over the running server: raw bodies in, status and raw body out, never an exception
 * for a 4xx or 5xx. Requests carry {@code Authorization: Bearer <key>} when a key is set.
 */
public final class Api {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingHttpClient client;
    private final String key;

    public Api(BlockingHttpClient client, String key) {
        this.client = client;
        this.key = key;
    }

    /** The same client with another API key (null for none). */
    public Api as(String otherKey) {
        return new Api(client, otherKey);
    }

    /** A response as received. */
    public record Response(int status, String body, Map<String, String> headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String errorCode() {
            return json().path("error").path("code").asText(null);
        }

        public String text(String field) {
            return json().path(field).asText(null);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    public Response get(String path) {
        return send(HttpMethod.GET, path, null, null);
    }

    public Response post(String path) {
        return send(HttpMethod.POST, path, null, null);
    }

    public Response post(String path, String json) {
        return send(HttpMethod.POST, path, json, MediaType.APPLICATION_JSON);
    }

    public Response put(String path, String json) {
        return send(HttpMethod.PUT, path, json, MediaType.APPLICATION_JSON);
    }

    public Response delete(String path) {
        return send(HttpMethod.DELETE, path, null, null);
    }

    /** Any method, any body, any content type (null for none). */
    public Response send(HttpMethod method, String path, String body, String contentType) {
        return send(method, path, body, contentType, Map.of());
    }

    public Response send(HttpMethod method, String path, String body, String contentType, Map<String, String> headers) {
        MutableHttpRequest<Object> request = HttpRequest.create(method, path);
        if (key != null) {
            request.header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
        }
        headers.forEach(request::header);
        if (body != null) {
            request.body(body);
        }
        if (contentType != null) {
            request.contentType(contentType);
        }
        try {
            return response(client.exchange(request, String.class));
        } catch (HttpClientResponseException e) {
            return response(e.getResponse());
        }
    }

    private static Response response(HttpResponse<?> r) {
        Map<String, String> headers = new LinkedHashMap<>();
        r.getHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
        String body = r.getBody(String.class).orElse("");
        return new Response(r.getStatus().getCode(), body, headers);
    }
}
