package dev.herald.demo.bench;

import dev.herald.demo.bench.BenchStack.Mode;
import dev.herald.demo.bench.TransportBenchmark.Client;
import dev.herald.demo.bench.TransportBenchmark.Measured;
import dev.herald.engine.EndpointRequest;
import dev.herald.engine.EventRequest;
import dev.herald.engine.Herald;
import dev.herald.engine.HeraldBuilder;
import dev.herald.engine.http.NettyTransport;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.spi.Transport;
import dev.herald.engine.testing.NettyReceiver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * The whole system against one local receiver, in one run: the HTTP ceilings with no store and no queue,
 * then the engine on each store + queue set-up (saturated, then at half that rate for latency), one
 * endpoint that never answers beside a healthy one, and a backlog of pending deliveries drained.
 *
 * <pre>mvn -B -q -pl demo-app -am -Psystem-bench -DskipTests test-compile exec:java \
 *     -Dexec.mainClass=dev.herald.demo.bench.SystemBenchmark -Dexec.args="50000 128"</pre>
 *
 * Arguments: deliveries per saturated run (default 50,000), requests in flight (default 128). System
 * properties, all optional:
 * <ul>
 * <li>{@code bench.phases}: comma-separated subset of {@code ceiling,modes,isolation,backlog} (default all);</li>
 * <li>{@code bench.modes}: subset of {@code memory,h2-mem,h2,h2-redis,pg-redis} (default all);</li>
 * <li>{@code bench.client}: the other JVM client of the ceiling, a {@link BenchClients} name (default
 * {@code jetty} before JDK 21, {@code reactor} from 21: the fastest after Herald's own on each);</li>
 * <li>{@code bench.warmup} (20,000), {@code bench.publishers} (2 threads), {@code bench.latencySeconds} (10);</li>
 * <li>{@code bench.virtual=true}: the engine's executor on virtual threads (JDK 21+);</li>
 * <li>{@code bench.backlog} (1,000,000 deliveries), {@code bench.backlogFanout} (10 endpoints per event),
 * {@code bench.backlogHeap} (the backlog JVM's {@code -Xmx}, default {@code 256m}; {@code none} runs the
 * phase in this JVM);</li>
 * <li>{@code bench.isolationMode} ({@code h2}), {@code bench.isolationRate} (200 events/s per endpoint),
 * {@code bench.isolationSeconds} (40), {@code bench.isolationTimeoutMillis} (5,000);</li>
 * <li>{@code bench.chart}: where the SVG goes (default {@code system-bench.svg} in the module's
 * {@code target}).</li>
 * </ul>
 */
public final class SystemBenchmark {
    static final String TENANT = "bench";
    static final String TYPE = "bench.ping";
    private static final String PAD = "x".repeat(900);
    private static final double LATENCY_TARGET_MS = 50;
    private static final long DELIVERY_DEADLINE_MINUTES = 60;

    private SystemBenchmark() {
    }

    /** What to run, from the arguments and {@code bench.*} system properties. */
    record Options(int n, int inFlight, Set<String> phases, List<Mode> modes, String client, int warmup,
                   int publishers, double latencySeconds, boolean virtual, int backlog, int backlogFanout,
                   String backlogHeap, Mode isolationMode, int isolationRate, int isolationSeconds,
                   Duration isolationTimeout, Path chart, Path work) {

        static Options parse(String[] args) {
            int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
            int inFlight = args.length > 1 ? Integer.parseInt(args[1]) : 128;
            Set<String> phases = new LinkedHashSet<>(List.of(
                    System.getProperty("bench.phases", "ceiling,modes,isolation,backlog").split(",")));
            phases.forEach(p -> {
                if (!Set.of("ceiling", "modes", "isolation", "backlog").contains(p)) {
                    throw new IllegalArgumentException("unknown phase " + p);
                }
            });
            List<Mode> modes = Arrays.stream(System.getProperty("bench.modes", "memory,h2-mem,h2,h2-redis,pg-redis")
                    .split(",")).map(Mode::of).toList();
            String client = System.getProperty("bench.client", Runtime.version().feature() >= 21 ? "reactor" : "jetty");
            Path target = Path.of(System.getProperty("bench.targetDir", "target"));
            Path chart = Path.of(System.getProperty("bench.chart", target.resolve("system-bench.svg").toString()));
            return new Options(n, inFlight, phases, modes, client, Integer.getInteger("bench.warmup", 20_000),
                    Integer.getInteger("bench.publishers", 2),
                    Double.parseDouble(System.getProperty("bench.latencySeconds", "10")),
                    Boolean.getBoolean("bench.virtual"), Integer.getInteger("bench.backlog", 1_000_000),
                    Integer.getInteger("bench.backlogFanout", 10), System.getProperty("bench.backlogHeap", "256m"),
                    Mode.of(System.getProperty("bench.isolationMode", "h2")),
                    Integer.getInteger("bench.isolationRate", 200), Integer.getInteger("bench.isolationSeconds", 40),
                    Duration.ofMillis(Integer.getInteger("bench.isolationTimeoutMillis", 5000)), chart,
                    target.resolve("system-bench"));
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--backlog")) {
            Options o = Options.parse(Arrays.copyOfRange(args, 1, args.length));
            BacklogResult r = backlog(o);
            System.out.println("RESULT " + r.encode());
            System.exit(0);
        }
        Options o = Options.parse(args);
        Files.createDirectories(o.work());
        String started = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String loadBefore = TransportBenchmark.loadAverage();
        String jdk = Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")";
        System.out.printf(Locale.ROOT, "JDK %s, %d cores, max heap %d MB, %s%n", jdk,
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                o.virtual() ? "engine executor on virtual threads" : "engine executor on its 2 platform threads");
        System.out.printf(Locale.ROOT, "%s, load before %s; %,d deliveries per saturated run, %d in flight, "
                        + "%d publisher threads, %,d warm-up%n", started, loadBefore, o.n(), o.inFlight(),
                o.publishers(), o.warmup());

        List<ClientResult> ceilings = new ArrayList<>();
        List<ModeResult> modes = new ArrayList<>();
        IsolationResult isolation = null;
        BacklogResult backlog = null;
        try (NettyReceiver receiver = new NettyReceiver()) {
            if (o.phases().contains("ceiling")) {
                for (String client : List.of("netty-1", o.client(), "jdk-raw")) {
                    ceilings.add(ceiling(receiver, o, client));
                }
            }
            if (o.phases().contains("modes")) {
                for (Mode mode : o.modes()) {
                    modes.add(mode(receiver, o, mode));
                }
            }
            if (o.phases().contains("isolation")) {
                isolation = isolation(receiver, o);
            }
        }
        if (o.phases().contains("backlog")) {
            backlog = o.backlogHeap().equals("none") ? backlog(o) : forkBacklog(o, args);
        }
        String loadAfter = TransportBenchmark.loadAverage();
        System.out.println("load after " + loadAfter);

        double ceiling = ceilings.stream().mapToDouble(ClientResult::perSecond).max().orElse(Double.NaN);
        System.out.println();
        System.out.printf(Locale.ROOT, "JDK %s, %s; %s; load average %s before, %s after%n%n", jdk,
                started.substring(0, 10), o.virtual() ? "virtual threads" : "platform threads", loadBefore, loadAfter);
        if (!ceilings.isEmpty() || !modes.isEmpty()) {
            printThroughput(ceilings, modes, ceiling);
        }
        if (!modes.isEmpty()) {
            printLatency(modes);
        }
        if (isolation != null) {
            printIsolation(isolation, o);
        }
        if (backlog != null) {
            printBacklog(backlog);
        }
        if (!modes.isEmpty()) {
            writeChart(o, jdk, started, loadBefore, loadAfter, ceilings, modes, ceiling);
        }
        System.exit(0);
    }

    // ---- ceilings ---------------------------------------------------------------------------------

    record ClientResult(String name, double perSecond, double cpuMicros, long[] latencies, long errors) {
    }

    private static ClientResult ceiling(NettyReceiver receiver, Options o, String name) throws Exception {
        System.out.printf(Locale.ROOT, "ceiling %s: warm-up%n", name);
        try (Client client = BenchClients.create(name, o.inFlight())) {
            URI url = URI.create(receiver.url());
            TransportBenchmark.load(client, receiver, url, o.warmup(), o.inFlight());
            System.gc();
            long cpu = cpuNanos();
            long start = System.nanoTime();
            Measured m = TransportBenchmark.load(client, receiver, url, o.n(), o.inFlight());
            long wall = System.nanoTime() - start;
            long[] latencies = m.latencies().clone();
            Arrays.sort(latencies);
            ClientResult r = new ClientResult(name, o.n() / (wall / 1e9), (cpuNanos() - cpu) / 1e3 / o.n(), latencies,
                    m.errors());
            System.out.printf(Locale.ROOT, "ceiling %-8s %,9.0f req/s %6.1f us CPU/req  errors %d  load %s%n", name,
                    r.perSecond(), r.cpuMicros(), r.errors(), TransportBenchmark.loadAverage());
            return r;
        }
    }

    // ---- the engine on each store + queue --------------------------------------------------------

    /** One run: deliveries received per second from the first publish to the last arrival. */
    /** CPU per delivery: {@code cpuMicros} this JVM's, then the PostgreSQL and the Redis server's. */
    record Run(int count, double perSecond, double publishPerSecond, double cpuMicros, double postgresCpuMicros,
               double redisCpuMicros, long[] latencies, boolean complete) {
    }

    record ModeResult(Mode mode, Run saturated, Run half) {
    }

    private static ModeResult mode(NettyReceiver receiver, Options o, Mode mode) throws Exception {
        System.out.printf(Locale.ROOT, "mode %s: starting (load %s)%n", mode.id, TransportBenchmark.loadAverage());
        try (BenchStack stack = BenchStack.open(mode, o.work());
             Engine engine = Engine.start(stack, o, o.inFlight(), o.inFlight(), HeraldBuilder.DEFAULT_REQUEST_TIMEOUT)) {
            engine.herald().createEndpoint(TENANT, EndpointRequest.of(receiver.url()));
            IntConsumer publishOne = i -> engine.herald().publish(EventRequest.of(TENANT, TYPE, data()));
            run(stack, receiver, Math.min(o.warmup(), o.n()), o.publishers(), 0, publishOne);
            Run saturated = run(stack, receiver, o.n(), o.publishers(), 0, publishOne);
            report(mode.id + " saturated", saturated);
            double rate = saturated.perSecond() / 2;
            int count = (int) Math.max(1_000, Math.min(500_000, rate * o.latencySeconds()));
            Run half = run(stack, receiver, count, o.publishers(), rate, publishOne);
            report(mode.id + " at " + Math.round(rate) + "/s", half);
            return new ModeResult(mode, saturated, half);
        }
    }

    private static void report(String what, Run r) {
        System.out.printf(Locale.ROOT, "  %-28s %,9.0f deliveries/s, published %,9.0f/s, %6.1f us CPU each "
                        + "(+ PostgreSQL %.1f, Redis %.1f), p50 %.1f p99 %.1f p999 %.1f ms%s, load %s%n", what,
                r.perSecond(), r.publishPerSecond(), r.cpuMicros(), r.postgresCpuMicros(), r.redisCpuMicros(), pct(r.latencies(), 0.50), pct(r.latencies(), 0.99), pct(r.latencies(), 0.999),
                r.complete() ? "" : " (INCOMPLETE)", TransportBenchmark.loadAverage());
    }

    /**
     * Publishes {@code n} events with {@code publishOne}, as fast as possible ({@code rate} 0) or paced to
     * {@code rate} events per second in total, and waits until the receiver has {@code n} deliveries.
     */
    private static Run run(BenchStack stack, NettyReceiver receiver, int n, int threads, double rate,
                           IntConsumer publishOne) throws InterruptedException {
        return run(stack, receiver, n, threads, rate, publishOne, 1);
    }

    /** As above, each of the {@code n} publishes bringing {@code perPublish} deliveries to the receiver. */
    private static Run run(BenchStack stack, NettyReceiver receiver, int n, int threads, double rate,
                           IntConsumer publishOne, int perPublish) throws InterruptedException {
        receiver.reset(n * perPublish);
        System.gc();
        // The servers first: looking them up walks the process table, which is not the JVM's work to count.
        long postgresCpu = stack.postgresCpuNanos();
        long redisCpu = stack.redisCpuNanos();
        long cpu = cpuNanos();
        long start = System.nanoTime();
        long published = publish(n, threads, rate, publishOne, start) - start;
        boolean complete = awaitReceived(receiver, (long) n * perPublish);
        long wall = System.nanoTime() - start;
        return new Run(n, receiver.received() / (wall / 1e9), n / (published / 1e9),
                (cpuNanos() - cpu) / 1e3 / n, (stack.postgresCpuNanos() - postgresCpu) / 1e3 / n,
                (stack.redisCpuNanos() - redisCpu) / 1e3 / n,
                receiver.sortedLatencies(), complete);
    }

    /** Publishes from {@code threads} threads, event {@code i} due at {@code start + i / rate}; returns the end. */
    static long publish(int n, int threads, double rate, IntConsumer publishOne, long start)
            throws InterruptedException {
        long interval = rate > 0 ? (long) (1e9 / rate) : 0;
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<Thread> publishers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread thread = new Thread(() -> {
                for (int i = first; i < n && failure.get() == null; i += threads) {
                    if (interval > 0) {
                        long wait = start + i * interval - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    try {
                        publishOne.accept(i);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                }
            }, "bench-publisher-" + t);
            thread.start();
            publishers.add(thread);
        }
        for (Thread thread : publishers) {
            thread.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return System.nanoTime();
    }

    private static boolean awaitReceived(NettyReceiver receiver, long n) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(DELIVERY_DEADLINE_MINUTES);
        while (receiver.received() < n) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    /** About 1 KiB of event data carrying its publish time, which the receiver reads back. */
    static String data() {
        return "{\"t\":" + System.nanoTime() + ",\"pad\":\"" + PAD + "\"}";
    }

    /** An engine on a stack, started, with its transport and executor; closing stops all three. */
    record Engine(Herald herald, Transport transport, ExecutorService virtual) implements AutoCloseable {

        static Engine start(BenchStack stack, Options o, int maxInFlight, int endpointMaxInFlight,
                            Duration requestTimeout) {
            Engine engine = build(stack, o, maxInFlight, endpointMaxInFlight, requestTimeout, o.inFlight());
            engine.herald().start();
            return engine;
        }

        /** Not started. The transport gets {@code connections} per destination, like the ceiling's clients. */
        static Engine build(BenchStack stack, Options o, int maxInFlight, int endpointMaxInFlight,
                            Duration requestTimeout, int connections) {
            Transport transport = NettyTransport.builder().urlPolicy(UrlPolicy.permissive())
                    .maxConnectionsPerHost(connections).build();
            HeraldBuilder builder = Herald.builder().store(stack.store).queue(stack.queue).clock(stack.clock)
                    .transport(transport).urlPolicy(UrlPolicy.permissive()).maxInFlight(maxInFlight)
                    .endpointMaxInFlight(endpointMaxInFlight).requestTimeout(requestTimeout)
                    .shutdownTimeout(Duration.ofSeconds(1));
            ExecutorService virtual = o.virtual() ? virtualThreads() : null;
            if (virtual != null) {
                builder.executor(virtual);
            }
            return new Engine(builder.build(), transport, virtual);
        }

        @Override
        public void close() {
            herald.close();
            transport.close();
            if (virtual != null) {
                virtual.shutdown();
            }
        }
    }

    private static ExecutorService virtualThreads() {
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("bench.virtual needs JDK 21 or later");
        }
        try {
            // Built for Java 17, so the JDK 21 factory is looked up rather than linked.
            return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- isolation --------------------------------------------------------------------------------

    record IsolationResult(Mode mode, Run alone, Run withHealthy, Run withDead, long deadAccepted,
                           List<StoreTraffic.Counts> traffic) {
    }

    /**
     * The engine's default limits (512 in flight, 32 per endpoint, circuit after 20 failures), a short
     * request timeout so that requests to the dead endpoint do time out during the run; the healthy
     * endpoint's latency at a fixed rate, first alone, then with the same rate going to the dead one.
     */
    private static IsolationResult isolation(NettyReceiver receiver, Options o) throws Exception {
        System.out.printf(Locale.ROOT, "isolation on %s: %d events/s per endpoint, %d s each, request timeout %d ms%n",
                o.isolationMode().id, o.isolationRate(), o.isolationSeconds(), o.isolationTimeout().toMillis());
        StoreTraffic traffic = new StoreTraffic();
        List<StoreTraffic.Counts> perRun = new ArrayList<>();
        try (DeadReceiver dead = new DeadReceiver();
             BenchStack stack = BenchStack.open(o.isolationMode(), o.work());
             Engine engine = Engine.start(stack.withStore(traffic.counting(stack.store)), o,
                     HeraldBuilder.DEFAULT_MAX_IN_FLIGHT, HeraldBuilder.DEFAULT_ENDPOINT_MAX_IN_FLIGHT,
                     o.isolationTimeout())) {
            Herald herald = engine.herald();
            Endpoint healthy = herald.createEndpoint(TENANT, EndpointRequest.of(receiver.url()));
            Endpoint neighbour = herald.createEndpoint(TENANT, EndpointRequest.of(receiver.url() + "?neighbour"));
            Endpoint deadEndpoint = herald.createEndpoint(TENANT, EndpointRequest.of(dead.url()));
            int n = o.isolationRate() * o.isolationSeconds();
            IntConsumer toHealthy = i -> herald.publishTo(healthy.id(), EventRequest.of(TENANT, TYPE, data()));
            run(stack, receiver, Math.min(n, o.isolationRate() * 5), 1, o.isolationRate(), toHealthy);
            StoreTraffic.Counts before = traffic.counts();
            Run alone = run(stack, receiver, n, 1, o.isolationRate(), toHealthy);
            report("healthy alone", alone);
            perRun.add(traffic.counts().minus(before));
            // The control: the same publish load, the second half to another healthy endpoint, whose
            // deliveries the receiver counts too (2n), so what the dead endpoint adds stands apart from
            // what publishing twice as much costs the store.
            IntConsumer twoHealthy = i -> {
                herald.publishTo(neighbour.id(), EventRequest.of(TENANT, TYPE, data()));
                herald.publishTo(healthy.id(), EventRequest.of(TENANT, TYPE, data()));
            };
            before = traffic.counts();
            Run withHealthy = run(stack, receiver, n, 1, o.isolationRate(), twoHealthy, 2);
            report("beside a healthy one", withHealthy);
            perRun.add(traffic.counts().minus(before));
            // Every other event goes to the dead endpoint; the receiver counts only the healthy ones.
            IntConsumer both = i -> {
                herald.publishTo(deadEndpoint.id(), EventRequest.of(TENANT, TYPE, data()));
                herald.publishTo(healthy.id(), EventRequest.of(TENANT, TYPE, data()));
            };
            before = traffic.counts();
            Run withDead = run(stack, receiver, n, 1, o.isolationRate(), both);
            report("healthy beside the dead one", withDead);
            perRun.add(traffic.counts().minus(before));
            return new IsolationResult(o.isolationMode(), alone, withHealthy, withDead, dead.accepted(), perRun);
        }
    }

    /** Accepts connections on 127.0.0.1 and never reads or answers: every request to it times out. */
    static final class DeadReceiver implements AutoCloseable {
        private final ServerSocket server;
        private final ConcurrentLinkedQueue<Socket> held = new ConcurrentLinkedQueue<>();
        private final Thread acceptor;

        DeadReceiver() throws IOException {
            server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        held.add(server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "bench-dead-receiver");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/hook";
        }

        long accepted() {
            return held.size();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    // ---- backlog ----------------------------------------------------------------------------------

    record BacklogResult(long deliveries, int fanout, double publishPerSecond, double drainPerSecond,
                         long maxHeap, long publishPeak, long drainPeak, long liveWithBacklog,
                         long bytesWithBacklog, long bytesDrained, boolean complete) {

        String encode() {
            return deliveries + " " + fanout + " " + publishPerSecond + " " + drainPerSecond + " " + maxHeap + " "
                    + publishPeak + " " + drainPeak + " " + liveWithBacklog + " " + bytesWithBacklog + " "
                    + bytesDrained + " " + complete;
        }

        static BacklogResult decode(String s) {
            String[] f = s.split(" ");
            return new BacklogResult(Long.parseLong(f[0]), Integer.parseInt(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]),
                    Long.parseLong(f[7]), Long.parseLong(f[8]), Long.parseLong(f[9]), Boolean.parseBoolean(f[10]));
        }
    }

    /** Runs the backlog phase in a JVM of its own with the {@code bench.backlogHeap} heap cap. */
    private static BacklogResult forkBacklog(Options o, String[] args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + o.backlogHeap()));
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench."))
                .forEach(k -> command.add("-D" + k + "=" + System.getProperty(k)));
        command.addAll(List.of("-cp", TransportBenchmark.classPath(), SystemBenchmark.class.getName(), "--backlog"));
        command.addAll(List.of(args));
        System.out.printf(Locale.ROOT, "backlog: a JVM of its own with -Xmx%s%n", o.backlogHeap());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring("RESULT ".length());
                } else {
                    System.out.println("  | " + line);
                }
            }
        }
        process.waitFor();
        if (result == null) {
            throw new IllegalStateException("the backlog JVM ended without a result (exit " + process.exitValue() + ")");
        }
        return BacklogResult.decode(result);
    }

    /**
     * Publishes {@code bench.backlog} deliveries into the H2 file store while the engine is not started,
     * then starts it and waits until the receiver has them all.
     */
    static BacklogResult backlog(Options o) throws Exception {
        Files.createDirectories(o.work());
        int fanout = o.backlogFanout();
        int events = o.backlog() / fanout;
        long deliveries = (long) events * fanout;
        System.out.printf(Locale.ROOT, "backlog: %,d events x %d endpoints = %,d deliveries into the H2 file store, "
                + "max heap %d MB%n", events, fanout, deliveries, Runtime.getRuntime().maxMemory() >> 20);
        try (NettyReceiver receiver = new NettyReceiver();
             BenchStack stack = BenchStack.open(Mode.H2, o.work());
             Engine engine = Engine.build(stack, o, o.inFlight(), o.inFlight(), HeraldBuilder.DEFAULT_REQUEST_TIMEOUT,
                     o.inFlight())) {
            Herald herald = engine.herald();
            for (int e = 0; e < fanout; e++) {
                herald.createEndpoint(TENANT, EndpointRequest.of(receiver.url() + "?e=" + e));
            }
            // Counting only: a latency array for a million deliveries would weigh on the capped heap.
            receiver.reset(0);
            System.gc();
            resetHeapPeaks();
            long start = System.nanoTime();
            Progress progress = new Progress("published", () -> 0);
            long end = publish(events, o.publishers(), 0, i -> {
                herald.publish(EventRequest.of(TENANT, TYPE, data()));
                progress.tick(fanout);
            }, start);
            progress.close();
            double publishRate = deliveries / ((end - start) / 1e9);
            long publishPeak = heapPeak();
            System.gc();
            long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long bytesWithBacklog = stack.bytesOnDisk();
            System.out.printf(Locale.ROOT, "backlog: published at %,.0f deliveries/s; heap peak %d MB, live after GC "
                    + "%d MB, store %d MB; draining%n", publishRate, publishPeak >> 20, live >> 20, bytesWithBacklog >> 20);
            resetHeapPeaks();
            long drainStart = System.nanoTime();
            herald.start();
            Progress drained = new Progress("drained", receiver::received);
            boolean complete = awaitReceived(receiver, deliveries);
            double drainRate = receiver.received() / ((System.nanoTime() - drainStart) / 1e9);
            drained.close();
            long drainPeak = heapPeak();
            long bytesDrained = stack.bytesOnDisk();
            System.out.printf(Locale.ROOT, "backlog: drained at %,.0f deliveries/s; heap peak %d MB, store %d MB%n",
                    drainRate, drainPeak >> 20, bytesDrained >> 20);
            return new BacklogResult(deliveries, fanout, publishRate, drainRate, Runtime.getRuntime().maxMemory(),
                    publishPeak, drainPeak, live, bytesWithBacklog, bytesDrained, complete);
        }
    }

    /** Prints a count every 30 seconds, for the long phases. */
    private static final class Progress implements AutoCloseable {
        private final AtomicLong ticks = new AtomicLong();
        private final LongSupplier source;
        private final Thread printer;

        Progress(String what, LongSupplier source) {
            this.source = source;
            this.printer = new Thread(() -> {
                long start = System.nanoTime();
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        TimeUnit.SECONDS.sleep(30);
                    } catch (InterruptedException e) {
                        return;
                    }
                    System.out.printf(Locale.ROOT, "backlog: %,d %s after %d s, heap used %d MB, load %s%n", count(),
                            what, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
                            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20,
                            TransportBenchmark.loadAverage());
                }
            }, "bench-progress");
            printer.setDaemon(true);
            printer.start();
        }

        void tick(int n) {
            ticks.addAndGet(n);
        }

        long count() {
            return Math.max(ticks.get(), source.getAsLong());
        }

        @Override
        public void close() {
            printer.interrupt();
        }
    }

    private static void resetHeapPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peaks since the last reset: an upper bound of the heap's high-water mark. */
    private static long heapPeak() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

    // ---- reporting --------------------------------------------------------------------------------

    private static final List<String> CLIENT_LABELS = List.of(
            "netty-1", "Herald NettyTransport, signed, no store",
            "jdk-raw", "bare java.net.http, signed, no store");

    private static String clientLabel(String name) {
        int i = CLIENT_LABELS.indexOf(name);
        return i >= 0 && i % 2 == 0 ? CLIENT_LABELS.get(i + 1) : name + " (BenchClients), signed, no store";
    }

    private static void printThroughput(List<ClientResult> ceilings, List<ModeResult> modes, double ceiling) {
        System.out.println("| mode | deliveries/s | ratio to ceiling | published/s | CPU µs per delivery, JVM "
                + "| + PostgreSQL server | + Redis server |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (ClientResult c : ceilings) {
            System.out.printf(Locale.ROOT, "| ceiling: %s%s | %,.0f | %.2f | | %.1f | | |%n", clientLabel(c.name()),
                    c.errors() > 0 ? " (" + c.errors() + " errors)" : "", c.perSecond(), c.perSecond() / ceiling,
                    c.cpuMicros());
        }
        for (ModeResult m : modes) {
            Run r = m.saturated();
            System.out.printf(Locale.ROOT, "| Herald, %s%s | %,.0f | %.2f | %,.0f | %.1f | %s | %s |%n", m.mode().label,
                    r.complete() ? "" : " (incomplete)", r.perSecond(), r.perSecond() / ceiling, r.publishPerSecond(),
                    r.cpuMicros(), orBlank(r.postgresCpuMicros()), orBlank(r.redisCpuMicros()));
        }
        System.out.println();
    }

    /** A CPU figure, or nothing for a set-up without that server. */
    private static String orBlank(double micros) {
        return micros > 0 ? String.format(Locale.ROOT, "%.1f", micros) : "";
    }

    private static void printLatency(List<ModeResult> modes) {
        System.out.println("| mode, at half its saturated rate | rate/s | p50 ms | p99 ms | p999 ms | max ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (ModeResult m : modes) {
            Run r = m.half();
            long[] l = r.latencies();
            System.out.printf(Locale.ROOT, "| %s%s | %,.0f | %.1f | %.1f | %.1f | %.1f |%n", m.mode().label,
                    r.complete() ? "" : " (incomplete)", r.publishPerSecond(), pct(l, 0.50), pct(l, 0.99),
                    pct(l, 0.999), l.length == 0 ? Double.NaN : l[l.length - 1] / 1e6);
        }
        System.out.println();
    }

    private static void printIsolation(IsolationResult r, Options o) {
        System.out.printf(Locale.ROOT, "Isolation on %s, %d events/s to the healthy endpoint, %d s per run, request "
                        + "timeout %d ms; the dead endpoint accepted %d connections%n%n", r.mode().label, o.isolationRate(),
                o.isolationSeconds(), o.isolationTimeout().toMillis(), r.deadAccepted());
        System.out.println("| healthy endpoint | p50 ms | p99 ms | p999 ms | p99 ratio to alone | "
                + "p99 ratio to beside a healthy one | deliveries claimed | deferrals written |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        double base = pct(r.alone().latencies(), 0.99);
        double control = pct(r.withHealthy().latencies(), 0.99);
        List<Run> runs = List.of(r.alone(), r.withHealthy(), r.withDead());
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            String what = run == r.alone() ? "alone"
                    : run == r.withHealthy() ? "beside a healthy one at the same rate (both measured)"
                    : "beside an endpoint that never answers";
            StoreTraffic.Counts traffic = r.traffic().get(i);
            System.out.printf(Locale.ROOT, "| %s%s | %.1f | %.1f | %.1f | %.2f | %.2f | %,d | %,d |%n", what,
                    run.complete() ? "" : " (incomplete)", pct(run.latencies(), 0.50), pct(run.latencies(), 0.99),
                    pct(run.latencies(), 0.999), pct(run.latencies(), 0.99) / base,
                    pct(run.latencies(), 0.99) / control, traffic.claimed(), traffic.deferred());
        }
        System.out.println();
    }

    private static void printBacklog(BacklogResult b) {
        System.out.println("| pending deliveries | published/s (engine stopped) | drained/s | heap peak, publishing | "
                + "heap peak, draining | live heap with all pending | max heap | store with all pending | store drained |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        System.out.printf(Locale.ROOT, "| %,d (%d endpoints)%s | %,.0f | %,.0f | %d MB | %d MB | %d MB | %d MB | %d MB | %d MB |%n",
                b.deliveries(), b.fanout(), b.complete() ? "" : " (incomplete)", b.publishPerSecond(),
                b.drainPerSecond(), b.publishPeak() >> 20, b.drainPeak() >> 20, b.liveWithBacklog() >> 20,
                b.maxHeap() >> 20, b.bytesWithBacklog() >> 20, b.bytesDrained() >> 20);
        System.out.println();
    }

    private static void writeChart(Options o, String jdk, String started, String loadBefore, String loadAfter,
                                   List<ClientResult> ceilings, List<ModeResult> modes, double ceiling) throws IOException {
        List<SvgChart.Throughput> bars = new ArrayList<>();
        for (ClientResult c : ceilings) {
            bars.add(new SvgChart.Throughput(clientLabel(c.name()).replace(", signed, no store", ""), c.perSecond(), true));
        }
        for (ModeResult m : modes) {
            bars.add(new SvgChart.Throughput("Herald, " + m.mode().label, m.saturated().perSecond(), false));
        }
        List<SvgChart.Latency> latencies = modes.stream().map(m -> new SvgChart.Latency(m.mode().label
                + String.format(Locale.ROOT, " @ %,.0f/s", m.half().publishPerSecond()),
                pct(m.half().latencies(), 0.50), pct(m.half().latencies(), 0.99))).toList();
        String svg = SvgChart.render("Herald system benchmark", String.format(Locale.ROOT,
                "JDK %s, %s, %d cores, %s, %d in flight; load average %s before, %s after", jdk, started.substring(0, 10),
                Runtime.getRuntime().availableProcessors(), o.virtual() ? "virtual threads" : "platform threads",
                o.inFlight(), loadBefore, loadAfter), bars, Double.isNaN(ceiling) ? 0 : ceiling, latencies,
                LATENCY_TARGET_MS);
        Files.createDirectories(o.chart().toAbsolutePath().getParent());
        Files.writeString(o.chart(), svg);
        System.out.println("chart: " + o.chart().toAbsolutePath());
    }

    // ---- helpers ----------------------------------------------------------------------------------

    static double pct(long[] sorted, double p) {
        return TransportBenchmark.pct(sorted, p);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
