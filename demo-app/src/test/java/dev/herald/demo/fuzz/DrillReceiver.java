package dev.herald.demo.fuzz;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The drill's only reachable receiver, on 127.0.0.1 and registered under {@link StubResolver#RECEIVER}.
 * {@code /redirect/{status}/{n}} answers that 3xx status with a {@code Location} from {@link #LOCATIONS}
 * (private, loopback, metadata, and this receiver's own {@code /followed}, which would prove a redirect
 * followed); every other path answers 200. Records the path and {@code webhook-id} of every request.
 * Thread-safe.
 */
final class DrillReceiver implements AutoCloseable {
    /** Redirect statuses the drill's receiver answers with. */
    static final List<Integer> REDIRECT_STATUSES = List.of(301, 302, 303, 307, 308);

    /** Where redirects point; {@code {self}} is this receiver's base URL under its allowed name. */
    static final List<String> LOCATIONS = List.of(
            "http://10.0.0.1/internal",
            "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
            "http://127.0.0.1:{port}/followed",
            "http://[::1]:{port}/followed",
            "http://ten.drill.test/followed",
            "{self}/followed");

    /** One request as it arrived. */
    record Hit(String path, String webhookId) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final ConcurrentLinkedQueue<Hit> hits = new ConcurrentLinkedQueue<>();

    DrillReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The socket address connections must go to. */
    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getAddress().getPort());
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The URL of {@code path} under the allowed name. */
    String url(String path) {
        return "http://" + StubResolver.RECEIVER + ":" + port() + path;
    }

    /** Every request so far. */
    List<Hit> hits() {
        return List.copyOf(hits);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        String path = exchange.getRequestURI().getRawPath();
        hits.add(new Hit(path, exchange.getRequestHeaders().getFirst("webhook-id")));
        int status = 200;
        String[] parts = path.split("/");
        if (parts.length == 4 && parts[1].equals("redirect")) {
            status = Integer.parseInt(parts[2]);
            String location = LOCATIONS.get(Integer.parseInt(parts[3]) % LOCATIONS.size())
                    .replace("{self}", url("")).replace("{port}", String.valueOf(port()));
            exchange.getResponseHeaders().add("Location", location);
        }
        byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }
}
