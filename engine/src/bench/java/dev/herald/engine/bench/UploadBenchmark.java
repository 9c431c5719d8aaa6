package dev.herald.engine.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.herald.engine.Herald;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.model.UploadTrigger;
import dev.herald.engine.s3.S3ObjectVerifier;
import dev.herald.engine.s3.S3ProxyServer;
import dev.herald.engine.s3.S3Storage;
import dev.herald.engine.s3.S3UploadSigner;
import dev.herald.engine.s3.S3Uploads;
import dev.herald.engine.upload.RegisteredUpload;
import dev.herald.engine.upload.UploadRequest;
import dev.herald.engine.upload.UploadSettings;
import dev.herald.engine.upload.UploadWebhook;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Time from "the client's PUT to storage finished" to "the receiver has {@code upload.completed}", for the two
 * ways Herald learns of an upload: the client's confirm, and auto-detection by polling. Storage is S3Proxy in
 * the same JVM (a real S3 API over HTTP on 127.0.0.1), the receiver a JDK {@code HttpServer}; uploads run one at
 * a time, so the figures are latency without queueing.
 *
 * <pre>mvn -B -q -pl engine -Pbench -DskipTests test-compile exec:java \
 *     -Dexec.mainClass=dev.herald.engine.bench.UploadBenchmark -Dexec.args="200 100"</pre>
 *
 * Arguments: uploads per mode (default 200), the auto-detect poll delay in milliseconds (default 100).
 */
public final class UploadBenchmark {
    private static final String TENANT = "bench";
    private static final String BUCKET = "bench-uploads";
    private static final String SECRET = "bench-secret-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String hookUrl;

    private UploadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        long pollMillis = args.length > 1 ? Long.parseLong(args[1]) : 100;
        System.out.printf(Locale.ROOT, "JDK %s, %d cores, load average %.2f, %d uploads per mode, poll delay %d ms%n",
                Runtime.version(), Runtime.getRuntime().availableProcessors(), loadAverage(), n, pollMillis);
        new UploadBenchmark().run(n, Duration.ofMillis(pollMillis));
        System.out.printf(Locale.ROOT, "load average after: %.2f%n", loadAverage());
        System.exit(0);
    }

    private void run(int n, Duration poll) throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.createContext("/", exchange -> {
            long at = System.nanoTime();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            JsonNode event = JSON.readTree(body);
            if (event.path("type").asText().equals("upload.completed")) {
                arrivals.putIfAbsent(event.path("data").path("webhookId").asText(), at);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        hookUrl = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        try (S3ProxyServer s3 = S3ProxyServer.startTransient()) {
            s3.createBucket(BUCKET);
            S3Storage storage = s3.storage();
            try (S3Uploads uploads = S3Uploads.of(S3UploadSigner.create(storage), S3ObjectVerifier.create(storage))) {
                UploadSettings settings = uploads.settings().defaultBucket(BUCKET)
                        .pollSchedule(poll).pollInterval(Duration.ofMillis(10)).maxHeadsPerSecond(1000).build();
                try (Herald herald = Herald.builder().urlPolicy(UrlPolicy.permissive()).uploads(settings)
                        .sweepInterval(Duration.ofMillis(50)).build().start()) {
                    phase(herald, Math.max(20, n / 10), UploadTrigger.CLIENT_CONFIRM); // warm-up
                    long[][] confirm = phase(herald, n, UploadTrigger.CLIENT_CONFIRM);
                    phase(herald, Math.max(5, n / 20), UploadTrigger.AUTO_DETECT); // warm-up
                    long[][] detect = phase(herald, n, UploadTrigger.AUTO_DETECT);
                    System.out.println();
                    System.out.println("| path | n | p50 ms | p90 ms | p99 ms | max ms |");
                    System.out.println("|---|---|---|---|---|---|");
                    print("confirm: PUT finished → upload.completed received", confirm[0]);
                    print("confirm call alone (HEAD + store writes)", confirm[1]);
                    print("auto-detect (poll every " + poll.toMillis() + " ms): PUT finished → upload.completed received",
                            detect[0]);
                }
            }
        } finally {
            receiver.stop(0);
        }
    }

    /** {@code n} uploads one after the other; returns sorted latencies (end to end, confirm call) in ns. */
    private long[][] phase(Herald herald, int n, UploadTrigger trigger) throws Exception {
        long[] endToEnd = new long[n];
        long[] confirmCall = new long[n];
        byte[] body = new byte[64 * 1024];
        for (int i = 0; i < n; i++) {
            body[i % body.length]++;
            RegisteredUpload r = herald.uploads().register(TENANT, UploadRequest.of("file-" + i + ".bin",
                            "application/octet-stream").withExpectedSize((long) body.length).withTriggers(trigger)
                    .withWebhook(UploadWebhook.adHoc(hookUrl, SECRET)));
            HttpRequest.Builder put = HttpRequest.newBuilder(r.uploadUrl()).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
            r.headers().forEach(put::header);
            HttpResponse<Void> response = http.send(put.build(), HttpResponse.BodyHandlers.discarding());
            long putDone = System.nanoTime();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("PUT answered " + response.statusCode());
            }
            if (trigger == UploadTrigger.CLIENT_CONFIRM) {
                herald.uploads().confirm(TENANT, r.token(), response.headers().firstValue("etag").orElse(null));
                confirmCall[i] = System.nanoTime() - putDone;
            }
            endToEnd[i] = awaitArrival(r.token()) - putDone;
        }
        Arrays.sort(endToEnd);
        Arrays.sort(confirmCall);
        return new long[][]{endToEnd, confirmCall};
    }

    private long awaitArrival(String token) throws TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Long at = arrivals.get(token);
            if (at != null) {
                return at;
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }
        throw new TimeoutException("no upload.completed for " + token);
    }

    private static void print(String path, long[] sorted) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.1f |%n", path, sorted.length,
                pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
