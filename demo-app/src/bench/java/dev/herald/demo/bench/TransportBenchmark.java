package dev.herald.demo.bench;

import dev.herald.engine.http.JdkHttpTransport;
import dev.herald.engine.http.NettyTransport;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.signing.SigningKey;
import dev.herald.engine.signing.WebhookSigner;
import dev.herald.engine.spi.Transport;
import dev.herald.engine.spi.TransportRequest;
import dev.herald.engine.spi.TransportResult;
import dev.herald.engine.testing.NettyReceiver;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * The HTTP transport's ceiling: JVM HTTP clients side by side, each sending signed 1 KiB webhook requests
 * as fast as a fixed number in flight allows to the same lean Netty receiver (one event-loop thread).
 *
 * <pre>mvn -B -q -pl demo-app -am -Psystem-bench -DskipTests test-compile exec:java \
 *     -Dexec.mainClass=dev.herald.demo.bench.TransportBenchmark -Dexec.args="30000 128"</pre>
 *
 * Arguments: requests per measured run (default 30,000), requests in flight (default 128). System
 * properties: {@code bench.rounds} (default 3), {@code bench.clients} (comma-separated names, default all),
 * {@code bench.warmup} (requests before measuring, default 50,000: Netty-based clients need that many to
 * reach their steady state), {@code bench.threads=true} (print each thread's CPU time, for diagnosis).
 *
 * <p>Each client runs in a JVM of its own (same JDK, same class path, fixed heap), so that no client's
 * JIT profile or garbage weighs on another; rounds interleave the clients, and the report gives each
 * client's median. Per run: requests/s, CPU per request (the process's CPU time minus the receiver
 * thread's, over the measured requests: the client's threads, the load generator that builds and signs
 * each request, and GC), the receiver thread's own load, and round-trip latency percentiles. Every client
 * gets the same connection limit (the number in flight) and otherwise its defaults.
 */
public final class TransportBenchmark {
    private static final String PAD = "x".repeat(900);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** The clients, by name, in report order. */
    private static final Map<String, String> CLIENTS = new LinkedHashMap<>();

    static {
        CLIENTS.put("netty-1", "Herald NettyTransport, 1 event loop (default)");
        CLIENTS.put("netty-2", "Herald NettyTransport, 2 event loops");
        CLIENTS.put("netty-4", "Herald NettyTransport, 4 event loops");
        CLIENTS.put("jdk", "Herald JdkHttpTransport (java.net.http)");
        CLIENTS.put("jdk-raw", "java.net.http HttpClient, bare");
        CLIENTS.put("apache", "Apache HttpClient 5 async");
        CLIENTS.put("jetty", "Jetty HttpClient 12");
        CLIENTS.put("reactor", "Reactor Netty HttpClient");
        CLIENTS.put("vertx", "Vert.x WebClient");
        CLIENTS.put("none", "no client: building and signing only (the load generator's share)");
    }

    private TransportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--child")) {
            child(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            System.exit(0);
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int rounds = Integer.getInteger("bench.rounds", 3);
        int warmup = Integer.getInteger("bench.warmup", 50_000);
        List<String> clients = List.of(System.getProperty("bench.clients", String.join(",", CLIENTS.keySet()))
                .split(","));
        System.out.printf(Locale.ROOT, "JDK %s (%s), %d cores, %d requests per run, %d in flight, %d warm-up, %d rounds%n",
                Runtime.version(), System.getProperty("java.vm.vendor"), Runtime.getRuntime().availableProcessors(),
                n, inFlight, warmup, rounds);
        System.out.println("date " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                + ", load before " + loadAverage());

        Map<String, List<Run>> runs = new LinkedHashMap<>();
        clients.forEach(c -> runs.put(c, new ArrayList<>()));
        for (int round = 1; round <= rounds; round++) {
            for (String client : clients) {
                Run run = fork(client, n, inFlight, warmup);
                runs.get(client).add(run);
                System.out.printf(Locale.ROOT, "round %d %-8s %,9.0f req/s %6.1f us CPU/req  receiver %3.0f%%  p50 %6.2f ms  p99 %6.2f ms  errors %d  load %s%n",
                        round, client, run.perSecond, run.cpuMicros, run.receiverBusy * 100, run.p50, run.p99, run.errors,
                        run.load);
            }
        }
        System.out.println("load after " + loadAverage());
        report(runs);
    }

    // ---- the parent: forks, medians, the table ----------------------------------------------------

    /** One measured run of one client. */
    private record Run(double perSecond, double cpuMicros, double receiverBusy, double p50, double p99, long errors,
                       String load) {
    }

    private static Run fork(String client, int n, int inFlight, int warmup) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xms1g", "-Xmx1g", "-cp", classPath(),
                TransportBenchmark.class.getName(), "--child", client, Integer.toString(n), Integer.toString(inFlight),
                Integer.toString(warmup)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                } else {
                    output.append(line).append('\n');
                }
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES) || result == null) {
            process.destroyForcibly();
            throw new IllegalStateException("client " + client + " failed:\n" + output);
        }
        String[] f = result.split(" ");
        return new Run(Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                Double.parseDouble(f[5]), Double.parseDouble(f[6]), Long.parseLong(f[7]), loadAverage());
    }

    private static void report(Map<String, List<Run>> runs) {
        Map<String, Run> medians = new LinkedHashMap<>();
        runs.forEach((client, list) -> medians.put(client, new Run(
                median(list, Run::perSecond), median(list, Run::cpuMicros), median(list, Run::receiverBusy),
                median(list, Run::p50), median(list, Run::p99), list.stream().mapToLong(Run::errors).sum(), "")));
        // The load generator alone is a baseline, not a client: ratios are among the real clients.
        double fastest = medians.entrySet().stream().filter(e -> !e.getKey().equals("none"))
                .mapToDouble(e -> e.getValue().perSecond).max().orElse(1);
        double leanest = medians.entrySet().stream().filter(e -> !e.getKey().equals("none"))
                .mapToDouble(e -> e.getValue().cpuMicros).min().orElse(1);
        System.out.println();
        System.out.println("| client | requests/s (median) | runs | ratio to fastest | CPU µs/request | CPU ratio to leanest | receiver busy | p50 ms | p99 ms | errors |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        medians.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue().perSecond, a.getValue().perSecond))
                .forEach(e -> {
                    Run m = e.getValue();
                    String each = runs.get(e.getKey()).stream().map(r -> String.format(Locale.ROOT, "%,.0f", r.perSecond))
                            .collect(Collectors.joining(" / "));
                    System.out.printf(Locale.ROOT, "| %s | %,.0f | %s | %.2f | %.1f | %.2f | %.0f%% | %.2f | %.2f | %d |%n",
                            CLIENTS.getOrDefault(e.getKey(), e.getKey()), m.perSecond, each, m.perSecond / fastest,
                            m.cpuMicros, m.cpuMicros / leanest, m.receiverBusy * 100, m.p50, m.p99, m.errors);
                });
    }

    private interface Metric {
        double of(Run run);
    }

    private static double median(List<Run> runs, Metric metric) {
        double[] values = runs.stream().mapToDouble(metric::of).sorted().toArray();
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /** The class path this class was loaded from: exec:java runs it in an isolated class loader. */
    static String classPath() {
        List<String> entries = new ArrayList<>();
        for (ClassLoader loader = TransportBenchmark.class.getClassLoader(); loader != null; loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    try {
                        entries.add(new File(url.toURI()).getPath());
                    } catch (Exception e) {
                        entries.add(url.getPath());
                    }
                }
            }
        }
        if (entries.isEmpty()) {
            return System.getProperty("java.class.path");
        }
        return String.join(File.pathSeparator, entries);
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "n/a";
        }
    }

    // ---- the child: one client, warmed up, then measured --------------------------------------------

    /** Sends one request; calls {@code done} with 1 for a 2xx answer, 0 otherwise, on any thread. */
    @FunctionalInterface
    interface Client extends AutoCloseable {
        void send(URI url, Map<String, String> headers, byte[] body, IntConsumer done);

        @Override
        default void close() throws Exception {
        }
    }

    private static void child(String name, int n, int inFlight, int warmup) throws Exception {
        try (NettyReceiver receiver = new NettyReceiver()) {
            List<Long> receiverThreads = receiverThreads();
            try (Client client = BenchClients.create(name, inFlight)) {
                URI url = URI.create(receiver.url());
                if (warmup > 0) {
                    load(client, receiver, url, warmup, inFlight);
                }
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                com.sun.management.OperatingSystemMXBean os =
                        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                long cpuBefore = os.getProcessCpuTime();
                long receiverBefore = cpu(threads, receiverThreads);
                long start = System.nanoTime();
                Measured measured = load(client, receiver, url, n, inFlight);
                long wall = System.nanoTime() - start;
                long receiverCpu = cpu(threads, receiverThreads) - receiverBefore;
                long cpu = os.getProcessCpuTime() - cpuBefore - receiverCpu;
                if (Boolean.getBoolean("bench.threads")) {
                    printThreads(threads, wall);
                }
                long[] latencies = measured.latencies;
                Arrays.sort(latencies);
                System.out.printf(Locale.ROOT, "RESULT %s %.1f %.2f %.3f %.3f %.3f %d%n", name, n / (wall / 1e9),
                        cpu / 1e3 / n, (double) receiverCpu / wall, pct(latencies, 0.50), pct(latencies, 0.99),
                        measured.errors);
            }
        }
    }

    record Measured(long[] latencies, long errors) {
    }

    static Measured load(Client client, NettyReceiver receiver, URI url, int n, int inFlight) throws Exception {
        receiver.reset(n);
        WebhookSigner signer = new WebhookSigner();
        List<SigningKey> keys = List.of(SigningKey.parse(SigningKey.generate(new SecureRandom())));
        Semaphore slots = new Semaphore(inFlight);
        long[] latencies = new long[n];
        AtomicInteger errors = new AtomicInteger();
        for (int i = 0; i < n; i++) {
            slots.acquire();
            long sentAt = System.nanoTime();
            byte[] body = ("{\"id\":\"evt_" + i + "\",\"type\":\"bench.ping\",\"data\":{\"t\":" + sentAt
                    + ",\"pad\":\"" + PAD + "\"}}").getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = signer.sign(keys, "dlv_" + i, System.currentTimeMillis() / 1000,
                    "bench.ping", body);
            int slot = i;
            client.send(url, headers, body, ok -> {
                latencies[slot] = System.nanoTime() - sentAt;
                if (ok == 0) {
                    errors.incrementAndGet();
                }
                slots.release();
            });
        }
        slots.acquire(inFlight);
        return new Measured(latencies, errors.get());
    }

    static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    /** The receiver's event-loop thread: NettyReceiver's group uses Netty's default thread names. */
    private static List<Long> receiverThreads() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Long> ids = new ArrayList<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("nioEventLoopGroup-")) {
                ids.add(info.getThreadId());
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalStateException("receiver thread not found");
        }
        return ids;
    }

    /** Every thread's share of a core since it started, relative to the measured window; for diagnosis. */
    private static void printThreads(ThreadMXBean threads, long wall) {
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            long cpu = info == null ? -1 : threads.getThreadCpuTime(info.getThreadId());
            if (cpu > wall / 100) {
                System.out.printf(Locale.ROOT, "thread %-50s %8.0f ms CPU%n", info.getThreadName(), cpu / 1e6);
            }
        }
    }

    private static long cpu(ThreadMXBean threads, List<Long> ids) {
        long total = 0;
        for (long id : ids) {
            total += Math.max(0, threads.getThreadCpuTime(id));
        }
        return total;
    }

    /** Herald's own transports, as clients. */
    static Client herald(Transport transport) {
        return new Client() {
            @Override
            public void send(URI url, Map<String, String> headers, byte[] body, IntConsumer done) {
                transport.send(new TransportRequest(url, headers, body, REQUEST_TIMEOUT)).whenComplete((r, e) ->
                        done.accept(r instanceof TransportResult.Responded ok && ok.status() / 100 == 2 ? 1 : 0));
            }

            @Override
            public void close() {
                transport.close();
            }
        };
    }

    static Client jdkTransport() {
        return herald(JdkHttpTransport.builder().urlPolicy(UrlPolicy.permissive()).build());
    }

    static Client nettyTransport(int inFlight, int eventLoops) {
        return herald(NettyTransport.builder().urlPolicy(UrlPolicy.permissive()).maxConnectionsPerHost(inFlight)
                .eventLoopThreads(eventLoops).build());
    }
}
