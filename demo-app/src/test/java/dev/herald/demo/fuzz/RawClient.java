package dev.herald.demo.fuzz;

import dev.herald.demo.Api;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends a case as written: any method, any bytes under any content type. The JDK client encodes nothing,
 * where the application's own test client would try to serialise a body for its content type. Not thread-safe.
 */
final class RawClient {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private int retries;

    /** @param port the server's port on 127.0.0.1 */
    RawClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** Requests sent twice because the first try got no answer at all. */
    int retries() {
        return retries;
    }

    /**
     * Sends the case with {@code apiKey} as bearer token (none when null).
     *
     * @throws IllegalArgumentException when the client cannot write the request at all (a path that is no URI,
     *                                  a header it reserves): nothing reached the server
     * @throws IOException              when the server answered nothing
     */
    Api.Response send(FuzzCase c, String apiKey) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + c.path())).timeout(Duration.ofSeconds(60))
                .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        if (c.contentType() != null) {
            request.header("Content-Type", c.contentType());
        }
        c.headers().forEach(request::header);
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // A kept-alive connection the server closed as this request went out: once more, on a new one. A
            // server that fails the request itself fails it again, and that is reported.
            retries++;
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        return new Api.Response(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8), headers);
    }
}
