package dev.herald.engine.http;

import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.ErrorKind;
import dev.herald.engine.spi.Transport;
import dev.herald.engine.spi.TransportRequest;
import dev.herald.engine.spi.TransportResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} on the JDK's {@code java.net.http.HttpClient}: no dependency beyond the JDK.
 *
 * <p>Each {@link #send} checks the URL against the {@link UrlPolicy} again, resolving the host off the
 * caller's thread, then POSTs the body over HTTP/1.1 with the request's headers,
 * {@code Content-Type: application/json} and a {@code User-Agent} (the request's own, if it has one).
 * Redirects are never followed. Only the first {@value Attempt#MAX_BODY_BYTES} bytes of the answer are
 * kept. The request's timeout bounds the whole exchange: DNS, connecting, waiting and reading the body.
 * The returned stage always completes normally; its continuations run on the transport's executor, or
 * on the thread calling {@link #close()} for requests that close fails. Headers that would change the
 * message framing or the target (the same list as {@link NettyTransport}'s, {@code Transfer-Encoding}
 * among them) fail the request with {@code OTHER} rather than being sent.
 *
 * <p><strong>Known limit:</strong> {@code java.net.http} resolves the host again itself when it connects
 * and offers no way to pin the address checked here. A name whose DNS answer changes between the check
 * and the connection (DNS rebinding with a tiny TTL) can slip through that window; everything else the
 * policy blocks stays blocked. The policy's {@link HostResolver} is used for the check only.
 *
 * <p>Idle connections are kept as long as the JDK's {@code jdk.httpclient.keepalive.timeout} says (20
 * minutes unless the host sets that system property). A receiver that drops idle connections sooner can
 * make an attempt on a stale connection fail with {@code CONNECTION_RESET}, which the retry schedule covers.
 *
 * <p>Thread-safe. {@link #close()} fails requests still in flight and stops the threads this transport
 * created; it leaves an executor given by the host running.
 */
public final class JdkHttpTransport implements Transport {

    /** Default time allowed to open a connection: 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Bytes of a response read before giving up on reusing its connection: 64 KiB. Reading a little past
     * the kept prefix keeps keep-alive working for ordinary answers; a receiver sending more gets its
     * connection closed instead.
     */
    static final long DRAIN_LIMIT = 64 * 1024;

    /** Longest timeout handed to the HTTP client, so that deadline arithmetic cannot overflow. */
    private static final Duration MAX_TIMEOUT = Duration.ofDays(1);

    private static final Logger log = LoggerFactory.getLogger(JdkHttpTransport.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final HttpClient client;
    private final UrlPolicy policy;
    private final String userAgent;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<Call> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private JdkHttpTransport(Builder builder) {
        int instance = INSTANCES.incrementAndGet();
        this.policy = builder.urlPolicy;
        this.userAgent = builder.userAgent == null ? defaultUserAgent() : builder.userAgent;
        if (builder.executor == null) {
            // Owned so that close() can stop it; HttpClient on Java 17 has no close of its own.
            this.ownedExecutor = Executors.newCachedThreadPool(daemonThreads("herald-http-" + instance + "-worker-"));
            this.executor = ownedExecutor;
        } else {
            this.ownedExecutor = null;
            this.executor = builder.executor;
        }
        this.timer = new ScheduledThreadPoolExecutor(1, daemonThreads("herald-http-" + instance + "-timer-"));
        // Most requests answer long before their deadline: drop cancelled deadlines at once, not when due.
        this.timer.setRemoveOnCancelPolicy(true);
        this.client = HttpClient.newBuilder()
                // HTTP/1.1, not HTTP/2: one request per connection, so a stalled or reset stream fails one
                // webhook, not every one multiplexed beside it; no h2c upgrade header that receivers and
                // proxies mishandle; and timeouts that mean the same thing for every receiver.
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(builder.connectTimeout)
                .executor(executor)
                .build();
    }

    /** A builder with the defaults: strict URL policy, 10 s connect timeout, own threads, {@link #defaultUserAgent()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A transport with every default; see {@link #builder()}. */
    public static JdkHttpTransport create() {
        return builder().build();
    }

    /** Checks a {@code User-Agent} value for either transport's builder; header values must be printable ASCII. */
    static String checkedUserAgent(String userAgent) {
        Objects.requireNonNull(userAgent, "userAgent");
        if (userAgent.isBlank() || !userAgent.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("userAgent must be non-blank printable ASCII");
        }
        return userAgent;
    }

    /**
     * The {@code User-Agent} Herald's transports send by default: {@code Herald/<version>}, the version
     * of the engine jar, or {@code Herald/dev} when it cannot be read.
     */
    public static String defaultUserAgent() {
        return "Herald/" + VersionHolder.VERSION;
    }

    /**
     * Sends one request. Never throws for network trouble: the stage completes with
     * {@link TransportResult.Responded} for any HTTP answer (redirects included, not followed) or with
     * {@link TransportResult.Failed} otherwise, including when the URL policy refuses the address
     * ({@code BLOCKED_ADDRESS}) and after {@link #close()} ({@code OTHER}).
     *
     * @throws NullPointerException if {@code request} is null
     */
    @Override
    public CompletionStage<TransportResult> send(TransportRequest request) {
        Objects.requireNonNull(request, "request");
        Call call = new Call();
        Duration timeout = request.timeout();
        if (timeout.isZero() || timeout.isNegative()) {
            call.finish(new TransportResult.Failed(ErrorKind.OTHER, "request timeout must be positive", call.elapsed()));
            return call.stage();
        }
        inFlight.add(call);
        // Checked after registering: close() either sees this call or we see the flag.
        if (closed.get()) {
            call.finish(Failures.closed(call.elapsed()));
            return call.stage();
        }
        try {
            call.deadline = timer.schedule(call::expire, nanos(timeout), TimeUnit.NANOSECONDS);
            CompletableFuture.supplyAsync(() -> resolve(request.url()), executor)
                    .thenCompose(addresses -> exchange(call, request))
                    .whenComplete((response, error) -> {
                        if (error != null) {
                            call.finish(Failures.of(error, call.elapsed()));
                        } else if (response != null) {
                            call.finish(responded(response, call.elapsed()));
                        }
                    });
        } catch (RejectedExecutionException e) {
            call.finish(Failures.closed(call.elapsed()));
        }
        return call.stage();
    }

    /** Fails requests still in flight, then stops the timer and the threads this transport created. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        int pending = 0;
        for (Call call : inFlight) {
            if (call.finish(Failures.closed(call.elapsed()))) {
                pending++;
            }
        }
        if (pending > 0) {
            log.debug("HTTP transport closed with {} requests in flight", pending);
        }
        timer.shutdownNow();
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "JdkHttpTransport[" + policy + ", userAgent=" + userAgent + "]";
    }

    private List<InetAddress> resolve(URI url) {
        try {
            return policy.resolveAllowed(url);
        } catch (UnknownHostException e) {
            throw new CompletionException(e);
        }
    }

    private CompletableFuture<HttpResponse<String>> exchange(Call call, TransportRequest request) {
        if (call.isDone()) {
            // Timed out or closed while resolving: do not start a request nobody waits for.
            return CompletableFuture.completedFuture(null);
        }
        Duration remaining = request.timeout().minus(call.elapsed());
        if (remaining.isZero() || remaining.isNegative()) {
            throw new CompletionException(new HttpTimeoutException("deadline passed while resolving"));
        }
        HttpRequest.Builder http = HttpRequest.newBuilder(request.url())
                .timeout(remaining.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : remaining)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()));
        boolean ownUserAgent = false;
        for (Map.Entry<String, String> header : request.headers().entrySet()) {
            String name = header.getKey();
            OwnedHeaders.refuse(name);
            if (name.equalsIgnoreCase("content-type")) {
                continue;
            }
            ownUserAgent |= name.equalsIgnoreCase("user-agent");
            http.header(name, header.getValue());
        }
        http.header("Content-Type", "application/json");
        if (!ownUserAgent) {
            http.header("User-Agent", userAgent);
        }
        CompletableFuture<HttpResponse<String>> exchange = client.sendAsync(http.build(),
                info -> new PrefixBodySubscriber(Attempt.MAX_BODY_BYTES, DRAIN_LIMIT));
        call.attach(exchange);
        return exchange;
    }

    private static TransportResult.Responded responded(HttpResponse<String> response, Duration elapsed) {
        Map<String, List<String>> headers = new HashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> new ArrayList<>()).addAll(values);
            }
        });
        headers.replaceAll((name, values) -> List.copyOf(values));
        return new TransportResult.Responded(response.statusCode(), headers, response.body(), elapsed);
    }

    private static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One request on its way: its result, its deadline, and the HTTP exchange to abort when it ends first. */
    private final class Call {
        private final long startNanos = System.nanoTime();
        private final CompletableFuture<TransportResult> result = new CompletableFuture<>();
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile ScheduledFuture<?> deadline;
        private volatile CompletableFuture<?> exchange;

        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - startNanos);
        }

        boolean isDone() {
            return done.get();
        }

        /** A read-only view: callers cannot complete or cancel the call. */
        CompletionStage<TransportResult> stage() {
            return result.minimalCompletionStage();
        }

        void attach(CompletableFuture<?> started) {
            exchange = started;
            // finish() sets done before reading exchange, and we wrote exchange before reading done, so
            // one of the two always sees the other and the exchange is never left running.
            if (done.get()) {
                started.cancel(true);
            }
        }

        /** Runs on the timer thread: hands the completion to the executor so callers never run on the timer. */
        void expire() {
            try {
                executor.execute(() -> finish(Failures.timeout(elapsed())));
            } catch (RejectedExecutionException e) {
                finish(Failures.timeout(elapsed()));
            }
        }

        boolean finish(TransportResult outcome) {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            inFlight.remove(this);
            ScheduledFuture<?> pendingDeadline = deadline;
            if (pendingDeadline != null) {
                pendingDeadline.cancel(false);
            }
            CompletableFuture<?> running = exchange;
            if (running != null) {
                // No-op when the exchange is what finished; aborts it (closing its connection) otherwise.
                running.cancel(true);
            }
            result.complete(outcome);
            return true;
        }
    }

    private static final class VersionHolder {
        static final String VERSION = load();

        private static String load() {
            try (InputStream in = JdkHttpTransport.class.getResourceAsStream("/dev/herald/engine/herald.properties")) {
                if (in == null) {
                    return "dev";
                }
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version");
                // An unfiltered resource (run from an IDE) still holds the Maven placeholder.
                return version == null || version.isBlank() || version.contains("${") ? "dev" : version.trim();
            } catch (IOException | IllegalArgumentException e) {
                return "dev";
            }
        }
    }

    /**
     * Builds a {@link JdkHttpTransport}. Reusable; each {@link #build()} makes a new transport with its own
     * connections. Not thread-safe.
     */
    public static final class Builder {
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private UrlPolicy urlPolicy = UrlPolicy.strict();
        private Executor executor;
        private String userAgent;

        private Builder() {
        }

        /**
         * Time allowed to open a connection, TLS handshake excluded. Default {@link #DEFAULT_CONNECT_TIMEOUT};
         * each request's own timeout bounds it as well.
         *
         * @throws NullPointerException     if {@code connectTimeout} is null
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder connectTimeout(Duration connectTimeout) {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            if (connectTimeout.isZero() || connectTimeout.isNegative()) {
                throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * Which URLs may be sent to, checked before every request. Default {@link UrlPolicy#strict()}.
         *
         * @throws NullPointerException if {@code urlPolicy} is null
         */
        public Builder urlPolicy(UrlPolicy urlPolicy) {
            this.urlPolicy = Objects.requireNonNull(urlPolicy, "urlPolicy");
            return this;
        }

        /**
         * Runs the HTTP client's work, DNS lookups and completions. Default: a cached pool of daemon threads
         * owned by the transport and stopped by {@link JdkHttpTransport#close()}. An executor given here is
         * never shut down by the transport.
         *
         * @throws NullPointerException if {@code executor} is null
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * The {@code User-Agent} header, unless a request carries its own. Default
         * {@link JdkHttpTransport#defaultUserAgent()}.
         *
         * @throws NullPointerException     if {@code userAgent} is null
         * @throws IllegalArgumentException if it is blank or holds characters other than printable ASCII
         */
        public Builder userAgent(String userAgent) {
            this.userAgent = checkedUserAgent(userAgent);
            return this;
        }

        /** A new transport with the settings given so far. */
        public JdkHttpTransport build() {
            return new JdkHttpTransport(this);
        }
    }
}
