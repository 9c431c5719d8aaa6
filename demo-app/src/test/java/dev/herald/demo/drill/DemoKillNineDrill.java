package dev.herald.demo.drill;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.demo.Application;
import dev.herald.engine.signing.WebhookVerifier;
import dev.herald.engine.testing.drill.ChildJvm;
import dev.herald.engine.testing.drill.KillPoints;
import dev.herald.engine.testing.drill.LedgerReceiver;
import dev.herald.engine.testing.drill.StdinGuard;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kill -9 drill of the demo server: runs {@link Application} in a {@link ChildJvm} on one
 * {@link DrillStack}, publishes events through its HTTP API ({@link Publishers}), kills the server with
 * SIGKILL at random points ({@link KillPoints}) while it stores and delivers, starts it again on the same
 * data directory (and the same PostgreSQL and Redis), and at the end checks the receiver's ledger: every
 * event the API answered 2xx for must have reached the receiver, with a valid signature, at least once.
 *
 * <p>Every wait is bounded by the settings' budget. Not thread-safe; one drill per instance.
 */
final class DemoKillNineDrill {
    private static final Logger log = LoggerFactory.getLogger(DemoKillNineDrill.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "hk_kill_drill_0123456789abcdef";

    /**
     * What to run.
     *
     * @param stack      the store and queue the server runs on
     * @param events     events to publish, at least 1
     * @param kills      SIGKILLs, at least 0
     * @param publishers concurrent publishing requests, at least 1
     * @param seed       seed of the kill points
     * @param budget     how long the whole drill may take, starts and drain included
     * @param workDir    an empty directory for the server's data and logs
     */
    record Settings(DrillStack stack, int events, int kills, int publishers, long seed, Duration budget,
                    Path workDir) {
        Settings {
            Objects.requireNonNull(stack, "stack");
            if (events < 1 || kills < 0 || publishers < 1) {
                throw new IllegalArgumentException("events and publishers must be at least 1, kills at least 0; were "
                        + events + ", " + publishers + ", " + kills);
            }
            Objects.requireNonNull(budget, "budget");
            Objects.requireNonNull(workDir, "workDir");
        }
    }

    /**
     * What happened.
     *
     * @param events          events to publish
     * @param published       events the API answered 2xx for
     * @param lost            sequence numbers answered 2xx whose event never reached the receiver
     * @param lostDeliveries  delivery ids the API answered with that never reached the receiver
     * @param unpublished     sequence numbers never answered 2xx within the budget
     * @param duplicates      accepted requests beyond the first per {@code webhook-id}
     * @param seqsStoredTwice sequence numbers that arrived under more than one {@code webhook-id}
     * @param repeatedPublishes publishes answered as duplicates: sent again after a kill, already stored
     * @param failedPublishes publishing requests that failed (a killed or starting server) and were sent again
     * @param badSignatures   requests whose signature did not verify
     * @param requests        every request the receiver saw
     * @param errors          answers no retry could fix
     * @param kills           the kills done, one line each
     * @param duration        from the first start to the end of the drain
     */
    record Result(int events, long published, List<Long> lost, List<String> lostDeliveries, List<Long> unpublished,
                  long duplicates, long seqsStoredTwice, long repeatedPublishes, long failedPublishes,
                  int badSignatures, int requests, List<String> errors, List<String> kills, Duration duration) {
        String summary() {
            return "events=" + events + " published=" + published + " lost=" + lost.size() + " lostDeliveries="
                    + lostDeliveries.size() + " duplicates=" + duplicates + " seqsStoredTwice=" + seqsStoredTwice
                    + " repeatedPublishes=" + repeatedPublishes + " failedPublishes=" + failedPublishes
                    + " badSignatures=" + badSignatures + " requests=" + requests + " kills=" + kills.size()
                    + " errors=" + errors.size() + " duration=" + duration.toMillis() + "ms";
        }
    }

    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private long deadline;
    /** The server started last, killed on the way out when a failed drill leaves it running. */
    private ChildJvm current;

    DemoKillNineDrill(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Runs the drill; the caller asserts on the result. */
    Result run() throws IOException, InterruptedException {
        long started = System.nanoTime();
        deadline = started + settings.budget().toNanos();
        Random random = new Random(settings.seed());
        long[] killAt = KillPoints.draw(random, settings.events(), settings.kills());
        log.info("demo kill -9 drill on {}: events={} kills={} publishers={} seed={} kill points={}",
                settings.stack(), settings.events(), settings.kills(), settings.publishers(), settings.seed(),
                Arrays.toString(killAt));
        Map<String, String> stackProperties = settings.stack().serverProperties();
        Path dataDir = Files.createDirectories(settings.workDir().resolve("data"));
        List<String> kills = new ArrayList<>();
        try (LedgerReceiver receiver = LedgerReceiver.start();
             Publishers publishers = new Publishers(settings.events(), settings.publishers(), API_KEY, deadline)) {
            Server server = startServer(0, dataDir, stackProperties);
            String secret = createEndpoint(server.base(), receiver.url());
            receiver.verifyWith(WebhookVerifier.builder().secret(secret).build());
            publishers.up(server.base());
            for (int run = 0; run < settings.kills(); run++) {
                long threshold = killAt[run];
                Server running = server;
                await("run " + run + " publishing past " + threshold).atMost(remaining())
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> publishers.publishedCount() >= threshold || !running.jvm().isAlive()
                                || publishers.failed());
                if (publishers.failed()) {
                    throw new IllegalStateException("publishing stopped: " + publishers.errors());
                }
                if (!server.jvm().isAlive()) {
                    throw new IllegalStateException("server " + run + " exited by itself with "
                            + server.jvm().exitValue() + "; see " + settings.workDir());
                }
                int extraMillis = KillPoints.extraMillis(random);
                await().pollDelay(Duration.ofMillis(extraMillis)).atMost(Duration.ofSeconds(5)).until(() -> true);
                long before = publishers.publishedCount();
                int receivedBefore = receiver.distinctWebhookIds();
                publishers.down();
                server.jvm().kill();
                String line = "kill " + (run + 1) + ": pid " + server.jvm().pid() + " at published=" + before
                        + " (point " + threshold + " + " + extraMillis + " ms), receiver had " + receivedBefore
                        + " deliveries";
                log.info(line);
                kills.add(line);
                server = startServer(run + 1, dataDir, stackProperties);
                publishers.up(server.base());
            }
            try {
                await("every published event received").atMost(remaining()).pollInterval(Duration.ofMillis(100))
                        .until(() -> publishers.done() && publishers.published().values().stream()
                                .allMatch(p -> receiver.hasEvent(p.eventId())));
            } catch (ConditionTimeoutException e) {
                log.error("drain did not finish within the budget of {}: {}", settings.budget(), e.getMessage());
            }
            if (!server.jvm().stop(Duration.ofSeconds(30))) {
                log.warn("the last server did not stop cleanly");
            }
            Result result = result(publishers, receiver, kills, Duration.ofNanos(System.nanoTime() - started));
            log.info("demo kill -9 drill on {}: {}", settings.stack(), result.summary());
            return result;
        } finally {
            if (current != null && current.isAlive()) {
                current.kill();
            }
        }
    }

    private Result result(Publishers publishers, LedgerReceiver receiver, List<String> kills, Duration duration) {
        Map<Long, Publishers.Published> published = publishers.published();
        List<Long> lost = published.entrySet().stream().filter(e -> !receiver.hasEvent(e.getValue().eventId()))
                .map(Map.Entry::getKey).sorted().toList();
        List<String> lostDeliveries = published.values().stream().flatMap(p -> p.deliveryIds().stream())
                .filter(id -> !receiver.hasWebhookId(id)).sorted().toList();
        long repeated = published.values().stream().filter(Publishers.Published::duplicate).count();
        return new Result(settings.events(), published.size(), lost, lostDeliveries, publishers.unpublished(),
                receiver.duplicates(), receiver.seqsWithSeveralWebhookIds(), repeated, publishers.failedRequests(),
                receiver.badSignatures(), receiver.calls(), publishers.errors(), kills, duration);
    }

    private record Server(ChildJvm jvm, URI base) {
    }

    private Server startServer(int run, Path dataDir, Map<String, String> stackProperties) throws IOException {
        int port = freePort();
        ChildJvm.Builder builder = ChildJvm.builder("server-" + run, Application.class.getName())
                .classpath(serverClasspath())
                .guarded()
                .jvmOptions("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                .systemProperty("micronaut.env.deduction", "false")
                .systemProperty("micronaut.server.port", Integer.toString(port))
                .systemProperty("herald.data-dir", dataDir.toString())
                // Uploads are not drilled: a configured S3-compatible store, never called, spares every start
                // the embedded store's (a quarter of the start-up time).
                .systemProperty("herald.storage.provider", "s3-compatible")
                .systemProperty("herald.storage.endpoint", "http://127.0.0.1:9")
                .systemProperty("herald.storage.access-key-id", "drill")
                .systemProperty("herald.storage.secret-access-key", "drill")
                .systemProperty("herald.demo.api-key", API_KEY)
                .systemProperty("herald.url-policy.allow-http", "true")
                .systemProperty("herald.url-policy.allow-private-networks", "true")
                // Fast retries and a short lease, so a restarted server takes over what the killed one had
                // in flight within seconds; many attempts, so a slow loaded machine ends nothing DEAD.
                .systemProperty("herald.retry.delays", "100ms,200ms,500ms,1s,2s,5s,5s,5s,5s,5s,5s,5s")
                .systemProperty("herald.delivery.request-timeout", "2s")
                .systemProperty("herald.delivery.lease", "4s")
                .systemProperty("herald.delivery.sweep-interval", "200ms")
                .systemProperty("herald.delivery.shutdown-timeout", "2s")
                .logDir(settings.workDir());
        stackProperties.forEach(builder::systemProperty);
        long started = System.nanoTime();
        ChildJvm jvm = builder.start();
        current = jvm;
        URI base = URI.create("http://127.0.0.1:" + port);
        await("server " + run + " answering").atMost(remaining()).pollInterval(Duration.ofMillis(100))
                .until(() -> !jvm.isAlive() || answers(base));
        if (!jvm.isAlive()) {
            throw new IllegalStateException("server " + run + " exited at start with " + jvm.exitValue() + "; see "
                    + settings.workDir());
        }
        log.info("server {}: pid {} answering on {} after {} ms", run, jvm.pid(), base,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return new Server(jvm, base);
    }

    private boolean answers(URI base) {
        try {
            return http.send(request(base.resolve("/v1/endpoints?limit=1")).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Registers the receiver; returns the endpoint's secret. No kill happens before it is answered. */
    private String createEndpoint(URI base, String receiverUrl) throws IOException, InterruptedException {
        String body = "{\"url\":\"" + receiverUrl + "\",\"eventTypes\":[\"document.*\"],\"description\":\"kill drill\"}";
        HttpResponse<String> response = http.send(request(base.resolve("/v1/endpoints"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("endpoint not created: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).path("secret").asText();
    }

    private HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + API_KEY);
    }

    private Duration remaining() {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    /**
     * The server's runtime class path (its classes and {@code target/runtime-classpath.txt}, written by the
     * build), plus {@link StdinGuard}: not the tests' class path, whose test beans and test dependencies
     * would make the child a different server.
     */
    private static String serverClasspath() {
        try {
            Path classes = codeSource(Application.class);
            Path runtime = classes.resolveSibling("runtime-classpath.txt");
            if (!Files.isRegularFile(runtime)) {
                throw new IllegalStateException(runtime + " is missing; the build's generate-test-resources phase writes it");
            }
            return String.join(File.pathSeparator, classes.toString(), codeSource(StdinGuard.class).toString(),
                    Files.readString(runtime).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path codeSource(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
