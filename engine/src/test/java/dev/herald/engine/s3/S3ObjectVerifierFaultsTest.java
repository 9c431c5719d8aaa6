package dev.herald.engine.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.herald.engine.spi.ObjectHead;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link S3ObjectVerifier} against a real HTTP server on 127.0.0.1 that answers HEAD the way a troubled
 * store does: throttling, 5xx, 403, redirects, silence. Nothing may be thrown, only 404 is a verdict, and
 * the SDK must not retry unless told to.
 */
class S3ObjectVerifierFaultsTest {
    private static final String SECRET = "fault-test-secret-0123456789abcdefghij";

    private HttpServer server;
    private ExecutorService executor;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile Consumer<HttpExchange> answer;
    private S3Storage storage;

    @BeforeEach
    void startServer() throws IOException {
        executor = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
            try (exchange) {
                answer.accept(exchange);
            }
        });
        server.start();
        storage = S3Storage.s3Compatible(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .credentials("AKIAFAULTTEST", SECRET)
                .build();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void foundTakesSizeEtagWithoutQuotesContentTypeAndLastModified() {
        answer = ex -> respond(ex, 200, "ETag", "\"9bb58f26192e4ba00f01e2e7b136bbd8\"",
                "Content-Length", "5", "Content-Type", "image/webp",
                "Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT");

        ObjectHead head = headOnce(S3ObjectVerifier.create(storage));

        assertThat(head).isEqualTo(new ObjectHead.Found(5, "9bb58f26192e4ba00f01e2e7b136bbd8", "image/webp",
                Instant.parse("2026-10-21T07:28:00Z")));
        assertThat(requests).containsExactly("HEAD /uploads/photos/cat%201.webp");
    }

    @Test
    void answerWithoutEtagIsUnavailable() {
        answer = ex -> respond(ex, 200, "Content-Length", "5", "Content-Type", "image/webp");

        assertThat(headOnce(S3ObjectVerifier.create(storage))).isEqualTo(
                new ObjectHead.Unavailable("storage answered HEAD without an ETag"));
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "404 | Missing",
            "503 | Unavailable: throttled (HTTP 503",
            "429 | Unavailable: throttled (HTTP 429",
            "500 | Unavailable: storage error (HTTP 500",
            "502 | Unavailable: storage error (HTTP 502",
            "403 | Unavailable: access denied (HTTP 403",
            "301 | Unavailable: storage refused the request (HTTP 301",
            "400 | Unavailable: storage refused the request (HTTP 400",
            "409 | Unavailable: unexpected storage answer (HTTP 409",
    })
    void errorStatusGivesOneOutcomeAfterOneRequest(int status, String expected) {
        answer = ex -> respond(ex, status);

        ObjectHead head = headOnce(S3ObjectVerifier.create(storage));

        assertThat(describe(head)).startsWith(expected);
        assertThat(requests).as("no SDK retry by default").hasSize(1);
        assertThat(describe(head)).doesNotContain(SECRET);
    }

    @Test
    void maxAttemptsLetsTheSdkRetry() {
        answer = ex -> respond(ex, 500);

        ObjectHead head = headOnce(S3ObjectVerifier.builder(storage).maxAttempts(3).build());

        assertThat(head).isInstanceOf(ObjectHead.Unavailable.class);
        assertThat(requests).hasSize(3);
    }

    @Test
    void silentStorageIsUnavailableAfterTheTimeout() {
        answer = ex -> await(release);

        long start = System.nanoTime();
        ObjectHead head = headOnce(S3ObjectVerifier.builder(storage).timeout(Duration.ofMillis(300)).build());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(head).isInstanceOfSatisfying(ObjectHead.Unavailable.class,
                u -> assertThat(u.reason()).startsWith("timed out"));
        assertThat(took).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void interruptedCallerIsUnavailableAndKeepsItsInterruptFlag() {
        answer = ex -> await(release);

        try (S3ObjectVerifier verifier = S3ObjectVerifier.builder(storage).timeout(Duration.ofSeconds(30)).build()) {
            Thread.currentThread().interrupt();
            ObjectHead head = verifier.head("uploads", "photos/cat 1.webp");

            assertThat(head).isEqualTo(new ObjectHead.Unavailable("interrupted"));
            assertThat(Thread.interrupted()).as("interrupt flag kept, then cleared here").isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    private ObjectHead headOnce(S3ObjectVerifier verifier) {
        try (verifier) {
            return verifier.head("uploads", "photos/cat 1.webp");
        }
    }

    private static String describe(ObjectHead head) {
        if (head instanceof ObjectHead.Unavailable u) {
            return "Unavailable: " + u.reason();
        }
        return head.getClass().getSimpleName();
    }

    private static void respond(HttpExchange exchange, int status, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
        }
        try {
            exchange.sendResponseHeaders(status, -1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
