package dev.herald.engine.bench;

import dev.herald.engine.EndpointRequest;
import dev.herald.engine.EventRequest;
import dev.herald.engine.Herald;
import dev.herald.engine.HeraldBuilder;
import dev.herald.engine.http.JdkHttpTransport;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.signing.SigningKey;
import dev.herald.engine.signing.WebhookSigner;
import dev.herald.engine.spi.Transport;
import dev.herald.engine.spi.TransportRequest;
import dev.herald.engine.testing.NettyReceiver;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Pushes webhooks through the in-process engine to a local Netty receiver, next to the ceiling: the same
 * HTTP client sending the same signed 1 KiB requests straight to the same receiver, in the same run.
 *
 * <pre>mvn -B -q -pl engine -Pbench -DskipTests test-compile exec:java -Dexec.args="50000 256"</pre>
 *
 * Arguments: deliveries per phase (default 50,000), requests in flight (default 256). System property
 * {@code bench.virtual=true} runs the engine's executor on virtual threads (JDK 21+).
 */
public final class DeliveryBenchmark {
    private static final String TENANT = "bench";
    private static final String PAD = "x".repeat(900);

    private DeliveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        System.out.printf(Locale.ROOT, "JDK %s, %d cores, %d deliveries, %d in flight%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), n, inFlight);
        try (NettyReceiver receiver = new NettyReceiver()) {
            bare(receiver, Math.min(n, 10_000), inFlight); // warm-up
            Result bare = bare(receiver, n, inFlight);
            ceiling(receiver, Math.min(n, 10_000), inFlight); // warm-up
            Result ceiling = ceiling(receiver, n, inFlight);
            herald(receiver, Math.min(n, 10_000), inFlight, 0); // warm-up
            Result saturated = herald(receiver, n, inFlight, 0);
            Result half = herald(receiver, Math.min(n, (int) (saturated.perSecond / 2) * 5), inFlight,
                    saturated.perSecond / 2);
            System.out.println();
            System.out.println("| mode | deliveries/s | ratio to ceiling | p50 ms | p99 ms | p999 ms |");
            System.out.println("|---|---|---|---|---|---|");
            print("bare java.net.http client, unsigned, no store", bare, ceiling.perSecond);
            print("ceiling: JdkHttpTransport, signed, no store", ceiling, ceiling.perSecond);
            print("Herald in-memory store + in-process queue, saturated", saturated, ceiling.perSecond);
            print("same, at half the saturated rate", half, ceiling.perSecond);
        }
        System.exit(0);
    }

    private record Result(double perSecond, long[] latencies) {
    }

    private static void print(String mode, Result r, double ceiling) {
        System.out.printf(Locale.ROOT, "| %s | %,.0f | %.2f | %.1f | %.1f | %.1f |%n", mode, r.perSecond,
                r.perSecond / ceiling, pct(r.latencies, 0.50), pct(r.latencies, 0.99), pct(r.latencies, 0.999));
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    private static String data() {
        return "{\"t\":" + System.nanoTime() + ",\"pad\":\"" + PAD + "\"}";
    }

    /** java.net.http with nothing around it: what the JDK itself can do. */
    private static Result bare(NettyReceiver receiver, int n, int inFlight) throws Exception {
        receiver.reset(n);
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        URI url = URI.create(receiver.url());
        Semaphore slots = new Semaphore(inFlight);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            slots.acquire();
            byte[] body = ("{\"id\":\"evt_" + i + "\",\"type\":\"bench.ping\",\"data\":" + data() + "}")
                    .getBytes(StandardCharsets.UTF_8);
            client.sendAsync(java.net.http.HttpRequest.newBuilder(url)
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> slots.release());
        }
        slots.acquire(inFlight);
        return new Result(n / ((System.nanoTime() - start) / 1e9), receiver.sortedLatencies());
    }

    /** The raw client: sign and send as fast as the in-flight cap allows. */
    private static Result ceiling(NettyReceiver receiver, int n, int inFlight) throws Exception {
        receiver.reset(n);
        Transport transport = JdkHttpTransport.builder().urlPolicy(UrlPolicy.permissive()).build();
        WebhookSigner signer = new WebhookSigner();
        List<SigningKey> keys = List.of(SigningKey.parse(SigningKey.generate(new SecureRandom())));
        URI url = URI.create(receiver.url());
        Semaphore slots = new Semaphore(inFlight);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            slots.acquire();
            byte[] body = ("{\"id\":\"evt_" + i + "\",\"type\":\"bench.ping\",\"data\":" + data() + "}")
                    .getBytes(StandardCharsets.UTF_8);
            TransportRequest request = new TransportRequest(url,
                    signer.sign(keys, "dlv_" + i, System.currentTimeMillis() / 1000, "bench.ping", body), body,
                    Duration.ofSeconds(30));
            transport.send(request).whenComplete((r, e) -> slots.release());
        }
        slots.acquire(inFlight);
        double perSecond = n / ((System.nanoTime() - start) / 1e9);
        transport.close();
        return new Result(perSecond, receiver.sortedLatencies());
    }

    /** The whole engine; {@code rate} 0 publishes as fast as possible, else paces publishes per second. */
    private static Result herald(NettyReceiver receiver, int n, int inFlight, double rate) throws Exception {
        receiver.reset(n);
        HeraldBuilder builder = Herald.builder().urlPolicy(UrlPolicy.permissive()).maxInFlight(inFlight)
                .endpointMaxInFlight(inFlight).batchSize(Math.min(inFlight, 512));
        ExecutorService virtual = virtualThreads();
        if (virtual != null) {
            builder.executor(virtual);
        }
        try (Herald herald = builder.build()) {
            herald.createEndpoint(TENANT, EndpointRequest.of(receiver.url()));
            herald.start();
            long start = System.nanoTime();
            long intervalNanos = rate > 0 ? (long) (1e9 / rate) : 0;
            for (int i = 0; i < n; i++) {
                if (intervalNanos > 0) {
                    long due = start + i * intervalNanos;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                herald.publish(EventRequest.of(TENANT, "bench.ping", data()));
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (receiver.received() < n && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            double perSecond = receiver.received() / ((System.nanoTime() - start) / 1e9);
            return new Result(perSecond, receiver.sortedLatencies());
        } finally {
            if (virtual != null) {
                virtual.shutdown();
            }
        }
    }

    private static ExecutorService virtualThreads() throws Exception {
        if (!Boolean.getBoolean("bench.virtual")) {
            return null;
        }
        // Built for Java 17, so the JDK 21 factory is looked up rather than linked.
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

}
