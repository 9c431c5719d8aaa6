package dev.herald.engine.spi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The promises every {@link Transport} keeps, checked against a real HTTP receiver (a JDK
 * {@code HttpServer} on 127.0.0.1). An implementation's test extends this class and supplies a fresh
 * transport whose URL policy allows plain http and loopback addresses.
 *
 * <p>Checked: bodies and headers arrive byte-exact; any HTTP answer, 5xx and 3xx included, comes back as
 * {@link TransportResult.Responded}; redirects are not followed; bodies are cut to
 * {@value Attempt#MAX_BODY_BYTES} bytes; response header names are lower case; silence, refusal, a hang-up
 * and a failed TLS handshake each give their {@link ErrorKind}; the request timeout bounds the whole
 * exchange; many requests in flight at once all complete; close is idempotent and leaves no stage hanging.
 */
public abstract class TransportContract {

    /** Upper bound for anything in these tests to happen; generous for a loaded build machine. */
    protected static final Duration WAIT = Duration.ofSeconds(20);
    /** Request timeout for tests that expect an answer. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private ExecutorService serverThreads;
    private Transport transport;

    /** A fresh transport whose URL policy allows {@code http} and loopback (a permissive policy). */
    protected abstract Transport newTransport();

    /** A request the receiver got: method, path with query, headers by lower-case name, body. */
    protected record Received(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body) {
        /** The first value of a header, by lower-case name, or null. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    @BeforeEach
    void startReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        // Handlers that hang must not hold up the others, so one thread per exchange.
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext("/", this::handle);
        server.start();
        transport = newTransport();
    }

    @AfterEach
    void stopReceiver() {
        release.countDown();
        try {
            transport.close();
        } finally {
            server.stop(0);
            serverThreads.shutdownNow();
        }
    }

    /** The transport under test, made by {@link #newTransport()} for this test. */
    protected Transport transport() {
        return transport;
    }

    /** A URL on the local receiver, such as {@code url("/ok")}. */
    protected URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    /** Every request the local receiver has seen so far, in arrival order. */
    protected List<Received> received() {
        return List.copyOf(received);
    }

    /** A POST of a small JSON body to {@code url} with the given timeout. */
    protected static TransportRequest post(URI url, Duration timeout) {
        return new TransportRequest(url, Map.of("webhook-id", "msg_contract"), "{\"ok\":true}".getBytes(UTF_8), timeout);
    }

    /** Waits for a send to complete (it must complete normally) and returns its result. */
    protected static TransportResult await(CompletionStage<TransportResult> stage) {
        CompletableFuture<TransportResult> future = stage.toCompletableFuture();
        assertThat(future).succeedsWithin(WAIT);
        return future.join();
    }

    // ---- answers ---------------------------------------------------------------------------------

    @Test
    void okAnswerComesBackWithItsBody() {
        TransportResult result = await(transport.send(post(url("/ok"), TIMEOUT)));

        assertThat(result).isInstanceOfSatisfying(TransportResult.Responded.class, responded -> {
            assertThat(responded.status()).isEqualTo(200);
            assertThat(responded.bodyPrefix()).isEqualTo("accepted");
            assertThat(responded.elapsed()).isPositive();
        });
    }

    @Test
    void bodyAndHeadersArriveExactly() {
        byte[] body = "{\"name\":\"caf\u00e9 \u2615\",\"n\":1,\"nested\":{\"a\":[1,2,3]}}".getBytes(UTF_8);
        Map<String, String> headers = Map.of(
                "webhook-id", "msg_2Yf8Jx",
                "webhook-timestamp", "1767225600",
                "webhook-signature", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,AAAA",
                "X-Webhook-Event", "upload.completed",
                "X-Custom", "value with spaces ; = , and \"quotes\"");

        TransportResult result = await(transport.send(
                new TransportRequest(url("/hooks/in?tenant=t1&x=%20y"), headers, body, TIMEOUT)));

        assertThat(result).isInstanceOf(TransportResult.Responded.class);
        assertThat(received).hasSize(1);
        Received request = received.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.pathAndQuery()).isEqualTo("/hooks/in?tenant=t1&x=%20y");
        assertThat(request.body()).isEqualTo(body);
        assertThat(request.header("content-type")).isEqualTo("application/json");
        assertThat(request.header("user-agent")).startsWith("Herald/");
        assertThat(request.header("webhook-id")).isEqualTo("msg_2Yf8Jx");
        assertThat(request.header("webhook-timestamp")).isEqualTo("1767225600");
        assertThat(request.header("webhook-signature"))
                .isEqualTo("v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,AAAA");
        assertThat(request.header("x-webhook-event")).isEqualTo("upload.completed");
        assertThat(request.header("x-custom")).isEqualTo("value with spaces ; = , and \"quotes\"");
    }

    @Test
    void serverErrorIsAnAnswerNotAFailure() {
        TransportResult result = await(transport.send(post(url("/status/500"), TIMEOUT)));

        assertThat(result).isInstanceOfSatisfying(TransportResult.Responded.class, responded -> {
            assertThat(responded.status()).isEqualTo(500);
            assertThat(responded.bodyPrefix()).isEqualTo("status 500");
        });
    }

    @Test
    void redirectIsReturnedAndNotFollowed() {
        TransportResult result = await(transport.send(post(url("/redirect"), TIMEOUT)));

        assertThat(result).isInstanceOfSatisfying(TransportResult.Responded.class, responded -> {
            assertThat(responded.status()).isEqualTo(302);
            assertThat(responded.header("location")).contains(url("/target").toString());
        });
        assertThat(received).extracting(Received::pathAndQuery).containsExactly("/redirect");
    }

    @Test
    void longBodyIsCutToTheLimit() {
        TransportResult result = await(transport.send(post(url("/large/5000"), TIMEOUT)));

        assertThat(result).isInstanceOfSatisfying(TransportResult.Responded.class, responded -> {
            assertThat(responded.status()).isEqualTo(200);
            assertThat(responded.bodyPrefix()).isEqualTo(pattern(Attempt.MAX_BODY_BYTES));
        });
    }

    @Test
    void hugeBodyIsCutWithoutReadingItAll() {
        TransportResult result = await(transport.send(post(url("/large/" + 16 * 1024 * 1024), TIMEOUT)));

        assertThat(result).isInstanceOfSatisfying(TransportResult.Responded.class,
                responded -> assertThat(responded.bodyPrefix()).isEqualTo(pattern(Attempt.MAX_BODY_BYTES)));
    }

    @Test
    void responseHeadersAreReadableByLowerCaseName() {
        TransportResult result = await(transport.send(post(url("/retry-after"), TIMEOUT)));

        assertThat(result).isInstanceOfSatisfying(TransportResult.Responded.class, responded -> {
            assertThat(responded.status()).isEqualTo(429);
            assertThat(responded.header("retry-after")).contains("120");
            assertThat(responded.header("x-mixed-case")).contains("Yes");
            assertThat(responded.headers().keySet()).allSatisfy(
                    name -> assertThat(name).isEqualTo(name.toLowerCase(Locale.ROOT)));
        });
    }

    // ---- failures --------------------------------------------------------------------------------

    @Test
    void silentReceiverTimesOutWithinTheRequestTimeout() {
        Duration timeout = Duration.ofMillis(300);
        long start = System.nanoTime();

        TransportResult result = await(transport.send(post(url("/hang"), timeout)));

        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        assertThat(result).isInstanceOfSatisfying(TransportResult.Failed.class,
                failed -> assertThat(failed.kind()).isEqualTo(ErrorKind.TIMEOUT));
        assertThat(result.elapsed()).isGreaterThanOrEqualTo(timeout.minusMillis(50));
        assertThat(waited).isLessThan(timeout.plusSeconds(3));
    }

    @Test
    void timeoutAlsoBoundsASlowBody() {
        Duration timeout = Duration.ofMillis(500);
        long start = System.nanoTime();

        TransportResult result = await(transport.send(post(url("/stall-body"), timeout)));

        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        assertThat(result).isInstanceOfSatisfying(TransportResult.Failed.class,
                failed -> assertThat(failed.kind()).isEqualTo(ErrorKind.TIMEOUT));
        assertThat(waited).isLessThan(timeout.plusSeconds(3));
    }

    @Test
    void portWithNothingListeningIsRefused() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        TransportResult result = await(transport.send(post(URI.create("http://127.0.0.1:" + port + "/"), TIMEOUT)));

        assertThat(result).isInstanceOfSatisfying(TransportResult.Failed.class,
                failed -> assertThat(failed.kind()).isEqualTo(ErrorKind.CONNECTION_REFUSED));
    }

    @Test
    void receiverHangingUpWithoutAnswerIsAReset() throws IOException {
        try (ServerSocket socket = rawReceiver(TransportContract::readRequestHeadThenHangUp)) {
            TransportResult result = await(transport.send(
                    post(URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/"), TIMEOUT)));

            assertThat(result).isInstanceOfSatisfying(TransportResult.Failed.class,
                    failed -> assertThat(failed.kind()).isEqualTo(ErrorKind.CONNECTION_RESET));
        }
    }

    @Test
    void failedTlsHandshakeIsReportedAsTls() throws IOException {
        // A plain-HTTP receiver answering a TLS client hello with a plain-text error.
        try (ServerSocket socket = rawReceiver(TransportContract::answerInPlainText)) {
            TransportResult result = await(transport.send(
                    post(URI.create("https://127.0.0.1:" + socket.getLocalPort() + "/"), TIMEOUT)));

            assertThat(result).isInstanceOfSatisfying(TransportResult.Failed.class,
                    failed -> assertThat(failed.kind()).isEqualTo(ErrorKind.TLS));
        }
    }

    @Test
    void failureMessagesNeverRepeatTheUrlOrHeaders() {
        URI secretUrl = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hang?token=s3cr3t-token");
        TransportRequest request = new TransportRequest(secretUrl, Map.of("authorization", "Bearer s3cr3t-bearer"),
                "{}".getBytes(UTF_8), Duration.ofMillis(200));

        TransportResult result = await(transport.send(request));

        assertThat(result).isInstanceOfSatisfying(TransportResult.Failed.class,
                failed -> assertThat(failed.message()).doesNotContain("s3cr3t"));
    }

    // ---- load and life cycle ---------------------------------------------------------------------

    @Test
    void manyConcurrentSendsAllComplete() {
        int count = 200;
        List<CompletableFuture<TransportResult>> sends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sends.add(transport.send(post(url("/ok?n=" + i), TIMEOUT)).toCompletableFuture());
        }

        assertThat(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
        assertThat(sends).allSatisfy(send -> assertThat(send.join()).isInstanceOfSatisfying(
                TransportResult.Responded.class, responded -> assertThat(responded.status()).isEqualTo(200)));
        assertThat(received).hasSize(count);
    }

    @Test
    void closingCompletesRequestsInFlight() {
        CompletionStage<TransportResult> pending = transport.send(post(url("/hang"), Duration.ofMinutes(5)));

        transport.close();

        assertThat(await(pending)).isInstanceOf(TransportResult.Failed.class);
    }

    @Test
    void closeIsIdempotentAndLaterSendsFail() {
        transport.close();
        assertThatCode(transport::close).doesNotThrowAnyException();

        TransportResult result = await(transport.send(post(url("/ok"), TIMEOUT)));

        assertThat(result).isInstanceOf(TransportResult.Failed.class);
        assertThat(received).isEmpty();
    }

    // ---- the receiver ----------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            received.add(new Received(exchange.getRequestMethod(), query == null ? path : path + "?" + query, headers, body));

            if (path.equals("/ok") || path.startsWith("/hooks/") || path.equals("/target")) {
                respond(exchange, 200, "accepted".getBytes(UTF_8));
            } else if (path.startsWith("/status/")) {
                int status = Integer.parseInt(path.substring("/status/".length()));
                respond(exchange, status, ("status " + status).getBytes(UTF_8));
            } else if (path.equals("/redirect")) {
                exchange.getResponseHeaders().add("Location", url("/target").toString());
                respond(exchange, 302, new byte[0]);
            } else if (path.startsWith("/large/")) {
                sendLarge(exchange, Integer.parseInt(path.substring("/large/".length())));
            } else if (path.equals("/retry-after")) {
                exchange.getResponseHeaders().add("Retry-After", "120");
                exchange.getResponseHeaders().add("X-Mixed-Case", "Yes");
                respond(exchange, 429, "slow down".getBytes(UTF_8));
            } else if (path.equals("/hang")) {
                awaitRelease();
                respond(exchange, 200, "late".getBytes(UTF_8));
            } else if (path.equals("/stall-body")) {
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody().write("{\"partial\":".getBytes(UTF_8));
                exchange.getResponseBody().flush();
                awaitRelease();
            } else {
                respond(exchange, 404, new byte[0]);
            }
        } catch (IOException e) {
            // The client gave up on this exchange (timeout, cut body): nothing to answer.
        }
    }

    private void awaitRelease() {
        try {
            release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static void sendLarge(HttpExchange exchange, int size) throws IOException {
        exchange.sendResponseHeaders(200, size);
        OutputStream out = exchange.getResponseBody();
        byte[] chunk = pattern(26 * 2048).getBytes(UTF_8);
        for (int sent = 0; sent < size; sent += chunk.length) {
            out.write(chunk, 0, Math.min(chunk.length, size - sent));
        }
    }

    /** {@code abc…xyzabc…} of the given length; a multiple of 26 long, chunks of it continue one another. */
    private static String pattern(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = (char) ('a' + i % 26);
        }
        return new String(chars);
    }

    /** What a raw receiver does with one connection; it closes the connection afterwards. */
    @FunctionalInterface
    private interface ConnectionHandler {
        void handle(Socket connection) throws IOException;
    }

    /** A bare TCP receiver on 127.0.0.1 that treats every connection with {@code handler}; close it to stop. */
    private static ServerSocket rawReceiver(ConnectionHandler handler) throws IOException {
        ServerSocket socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket connection = socket.accept()) {
                    handler.handle(connection);
                } catch (IOException e) {
                    // Closed by the test, or the client went away: either way, next connection.
                }
            }
        }, "contract-raw-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
        return socket;
    }

    private static void readRequestHeadThenHangUp(Socket connection) throws IOException {
        InputStream in = connection.getInputStream();
        byte[] last = new byte[4];
        int b;
        while ((b = in.read()) >= 0) {
            System.arraycopy(last, 1, last, 0, 3);
            last[3] = (byte) b;
            if (Arrays.equals(last, new byte[] {'\r', '\n', '\r', '\n'})) {
                return;
            }
        }
    }

    private static void answerInPlainText(Socket connection) throws IOException {
        int first = connection.getInputStream().read();
        if (first >= 0) {
            connection.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(UTF_8));
            connection.getOutputStream().flush();
        }
    }
}
