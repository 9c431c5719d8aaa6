package dev.herald.engine.http;

import dev.herald.engine.ErrorCode;
import dev.herald.engine.HeraldException;
import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.ErrorKind;
import dev.herald.engine.spi.Transport;
import dev.herald.engine.spi.TransportRequest;
import dev.herald.engine.spi.TransportResult;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} on Netty: HTTP/1.1 with keep-alive connection pools, the engine's fast path.
 *
 * <p><strong>Design.</strong> Each destination (scheme, host, port) gets one pool per event loop, pinned to
 * that loop, with an equal share of {@link Builder#maxConnectionsPerHost}; requests are spread over them at
 * random. Every change to a pool (idle connections, waiting requests, the connection count) happens on that
 * loop, so pools take no locks. {@link #send} does the caller's share of the work on the caller's thread
 * (the URL policy's syntax check, once per URL; writing head and body into one byte array) and hands the
 * request to the pool's loop with one task, which leaves the loop only socket work and reading answers. The loop reuses an idle connection, or opens one while the pool holds
 * fewer than {@link Builder#maxConnectionsPerHost}, or queues the request until a connection frees up.
 * Responses are read as they stream in: the first {@value Attempt#MAX_BODY_BYTES} bytes are kept, the
 * rest counted and dropped; past {@value #DRAIN_LIMIT} bytes the connection is closed instead of drained.
 *
 * <p><strong>Address pinning.</strong> A new connection first resolves the host through the
 * {@link UrlPolicy} ({@link UrlPolicy#resolveAllowed}, on a small thread pool since DNS blocks; IP
 * literals inline), then connects to exactly the addresses that check allowed, trying them in order. The
 * {@code Host} header and TLS server name stay the URL's host. So, unlike {@link JdkHttpTransport}, a DNS
 * answer that changes between the check and the connection (DNS rebinding) cannot redirect a request:
 * there is no second lookup. A reused connection was checked when it was opened.
 *
 * <p><strong>TLS.</strong> {@code https} uses the JDK's TLS ({@link SSLContext#getDefault()} unless
 * {@link Builder#sslContext} says otherwise) with host name verification always on ({@code HTTPS}
 * endpoint identification) and SNI for host names.
 *
 * <p><strong>Behaviour.</strong> Every request is a {@code POST} with the request's headers,
 * {@code Content-Type: application/json}, {@code Content-Length} and a {@code User-Agent} (the request's
 * own, if it has one). Redirects are never followed. The request's timeout bounds the whole exchange:
 * waiting for a connection, DNS, connecting, TLS, sending and reading the answer. A request whose reused
 * keep-alive connection turns out to be closed by the receiver before any byte of an answer arrived is
 * sent once more on another connection, within the same deadline (the receiver may then see it twice;
 * webhooks carry an id for that). Headers that would change the message framing or the target
 * ({@code Host}, {@code Connection}, {@code Content-Length}, {@code Transfer-Encoding}, {@code Expect},
 * {@code Upgrade}, {@code TE}, {@code Trailer}, {@code Keep-Alive}, {@code Proxy-Connection}) and header
 * names or values with characters HTTP forbids (line breaks among them) fail the request with
 * {@code OTHER} rather than being sent. Connections idle for longer than {@link Builder#idleTimeout}
 * (closed within one and a half times that) are closed.
 *
 * <p><strong>Threads.</strong> The returned stage always completes normally, on the pool's event-loop
 * thread (or on the thread calling {@link #close()} for the requests close fails): continuations must not
 * block there, so run anything slow with an {@code *Async} method and an executor of your own.
 *
 * <p>Thread-safe. {@link #close()} fails requests still in flight, closes every connection and stops the
 * threads this transport created; it leaves an event-loop group given by the host running.
 */
public final class NettyTransport implements Transport {

    /** Default time allowed to open a connection, and separately for the TLS handshake: 10 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Default number of event-loop threads the transport creates: 1. On two cores one loop drove as many
     * requests a second as two or four, with the least CPU per request (docs/benchmarks.md, Transport).
     */
    public static final int DEFAULT_EVENT_LOOP_THREADS = 1;

    /** Default most connections open to one scheme, host and port at once: 64. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_HOST = 64;

    /** Default time an unused keep-alive connection is kept open: 30 seconds. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    /** Bytes of a response read before closing its connection rather than reading on: 64 KiB. */
    static final int DRAIN_LIMIT = 64 * 1024;

    /** Most threads resolving host names at once; lookups only happen for new connections. */
    private static final int DNS_THREADS = 4;

    /** Most URLs whose policy check and pool are remembered; past it, all are forgotten at once. */
    private static final int MAX_ROUTES = 10_000;

    private static final int MAX_EVENT_LOOP_THREADS = 256;
    private static final int MAX_CONNECTIONS_LIMIT = 10_000;

    private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final UrlPolicy policy;
    private final String userAgent;
    private final SSLContext sslContext;
    private final int connectTimeoutMillis;
    private final int maxConnectionsPerHost;
    private final long idleTimeoutNanos;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final ThreadPoolExecutor dns;
    private final List<EventLoop> loops = new ArrayList<>();
    private final ConcurrentHashMap<String, NettyPool> pools = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<URI, Route> routes = new ConcurrentHashMap<>();
    private final Set<NettyCall> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private NettyTransport(Builder builder) {
        int instance = INSTANCES.incrementAndGet();
        this.policy = builder.urlPolicy;
        this.userAgent = builder.userAgent == null ? JdkHttpTransport.defaultUserAgent() : builder.userAgent;
        this.sslContext = builder.sslContext == null ? defaultSslContext() : builder.sslContext;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, builder.connectTimeout.toMillis());
        this.maxConnectionsPerHost = builder.maxConnectionsPerHost;
        this.idleTimeoutNanos = nanos(builder.idleTimeout);
        if (builder.eventLoopGroup == null) {
            int threads = builder.eventLoopThreads == null ? DEFAULT_EVENT_LOOP_THREADS : builder.eventLoopThreads;
            this.group = new MultiThreadIoEventLoopGroup(threads,
                    new DefaultThreadFactory("herald-netty-" + instance, true), NioIoHandler.newFactory());
            this.ownsGroup = true;
        } else {
            this.group = builder.eventLoopGroup;
            this.ownsGroup = false;
        }
        for (EventExecutor loop : group) {
            loops.add((EventLoop) loop);
        }
        this.dns = new ThreadPoolExecutor(DNS_THREADS, DNS_THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory("herald-netty-" + instance + "-dns", true));
        this.dns.allowCoreThreadTimeOut(true);
    }

    /**
     * A builder with the defaults: strict URL policy, {@link #DEFAULT_CONNECT_TIMEOUT},
     * {@link #DEFAULT_EVENT_LOOP_THREADS} event-loop threads of its own, {@link #DEFAULT_MAX_CONNECTIONS_PER_HOST},
     * {@link #DEFAULT_IDLE_TIMEOUT}, the JDK's default TLS context, {@link JdkHttpTransport#defaultUserAgent()}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A transport with every default; see {@link #builder()}. */
    public static NettyTransport create() {
        return builder().build();
    }

    /**
     * Sends one request. Never throws for network trouble: the stage completes with
     * {@link TransportResult.Responded} for any HTTP answer (redirects included, not followed) or with
     * {@link TransportResult.Failed} otherwise, including when the URL policy refuses the URL or the
     * address its host resolves to ({@code BLOCKED_ADDRESS}) and after {@link #close()} ({@code OTHER}).
     *
     * @throws NullPointerException if {@code request} is null
     */
    @Override
    public CompletionStage<TransportResult> send(TransportRequest request) {
        Objects.requireNonNull(request, "request");
        NettyCall call = new NettyCall(this, request);
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
            Route route = routeFor(request.url());
            NettyPool pool = route.pick();
            call.wire(NettyRequestEncoder.encode(route.target(), pool.target().authority(), request.headers(),
                    request.body(), userAgent));
            pool.submit(call);
        } catch (RejectedExecutionException e) {
            call.finish(Failures.closed(call.elapsed()));
        } catch (RuntimeException e) {
            // The URL policy's refusal or a header HTTP forbids: the request never leaves.
            call.fail(e);
        }
        return call.stage();
    }

    /**
     * Fails requests still in flight, closes every connection, then stops the threads this transport
     * created (waiting a few seconds for them unless called from one of them). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        int pending = 0;
        for (NettyCall call : inFlight) {
            if (call.abort(Failures.closed(call.elapsed()))) {
                pending++;
            }
        }
        if (pending > 0) {
            log.debug("HTTP transport closed with {} requests in flight", pending);
        }
        for (NettyPool pool : pools.values()) {
            try {
                pool.loop().execute(pool::shutdown);
            } catch (RejectedExecutionException e) {
                // The host's group is already shut down, and our connections with it.
            }
        }
        pools.clear();
        routes.clear();
        dns.shutdownNow();
        if (ownsGroup) {
            Future<?> terminated = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            if (!inOwnEventLoop()) {
                terminated.awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public String toString() {
        return "NettyTransport[" + policy + ", userAgent=" + userAgent + ", maxConnectionsPerHost="
                + maxConnectionsPerHost + "]";
    }

    // ---- for the pools and calls of this package -------------------------------------------------

    UrlPolicy policy() {
        return policy;
    }

    int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    long idleTimeoutNanos() {
        return idleTimeoutNanos;
    }

    Executor dns() {
        return dns;
    }

    boolean isClosed() {
        return closed.get();
    }

    void forget(NettyCall call) {
        inFlight.remove(call);
    }

    void forget(NettyPool pool) {
        pools.remove(pool.key(), pool);
    }

    /** Routes a call again, when the pool it was sent to retired in the meantime. Runs on an event loop. */
    void resubmit(NettyCall call) {
        try {
            routeFor(call.request().url()).pick().submit(call);
        } catch (RuntimeException e) {
            call.fail(e);
        }
    }

    /** Maps what went wrong to a result; Netty's connect and handshake timeouts are timeouts. */
    TransportResult.Failed failure(Throwable error, Duration elapsed) {
        int depth = 0;
        for (Throwable t = error; t != null && depth++ < 16; t = t.getCause()) {
            if (t instanceof ConnectTimeoutException || t instanceof SslHandshakeTimeoutException) {
                return Failures.timeout(elapsed);
            }
        }
        return Failures.of(error, elapsed);
    }

    /** A client-side TLS handler for one connection: host name verification on, SNI for names. */
    SslHandler newSslHandler(ByteBufAllocator alloc, NettyPool.Target target) {
        SSLEngine engine = sslContext.createSSLEngine(target.hostName(), target.port());
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!target.literal()) {
            try {
                parameters.setServerNames(List.of(new SNIHostName(target.hostName())));
            } catch (IllegalArgumentException e) {
                // A name SNI cannot carry (an underscore, say): the handshake goes on without it.
            }
        }
        engine.setSSLParameters(parameters);
        SslHandler handler = new SslHandler(engine);
        handler.setHandshakeTimeoutMillis(connectTimeoutMillis);
        return handler;
    }

    // ---- internals -------------------------------------------------------------------------------

    /**
     * The pools and request target for a URL. The URL policy's syntax check parses the URL again, so its
     * verdict is kept per URL, with the pools it leads to: the engine passes an endpoint's same URI on
     * every attempt, and a cache hit costs a hash lookup with an identity comparison.
     */
    private Route routeFor(URI url) {
        Route route = routes.get(url);
        if (route != null && !route.anyRetired()) {
            return route;
        }
        policy.check(url.toString());
        NettyPool.Target target = NettyPool.Target.of(url);
        if (target == null) {
            throw new HeraldException(ErrorCode.INVALID_URL, "URL has no host");
        }
        NettyPool[] spread = new NettyPool[loops.size()];
        int share = (maxConnectionsPerHost + spread.length - 1) / spread.length;
        for (int i = 0; i < spread.length; i++) {
            EventLoop loop = loops.get(i);
            spread[i] = pools.computeIfAbsent(target.key() + "#" + i,
                    key -> new NettyPool(this, key, target, loop, share));
        }
        route = new Route(spread, target.pathAndQuery(url));
        if (routes.size() >= MAX_ROUTES) {
            // Bounded by forgetting everything: the next attempt to each URL checks it once more.
            routes.clear();
        }
        routes.put(url, route);
        return route;
    }

    /** Where requests to one URL go: one pool per event loop, and the request target to write. */
    private record Route(NettyPool[] pools, String target) {
        /** A pool for the next request: spreading requests spreads the socket work over the loops. */
        NettyPool pick() {
            return pools.length == 1 ? pools[0] : pools[ThreadLocalRandom.current().nextInt(pools.length)];
        }

        boolean anyRetired() {
            for (NettyPool pool : pools) {
                if (pool.isRetired()) {
                    return true;
                }
            }
            return false;
        }
    }

    private boolean inOwnEventLoop() {
        for (EventExecutor loop : group) {
            if (loop.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    private static SSLContext defaultSslContext() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no default TLS context", e);
        }
    }

    private static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Builds a {@link NettyTransport}. Reusable; each {@link #build()} makes a new transport with its own
     * connections. Not thread-safe.
     */
    public static final class Builder {
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private UrlPolicy urlPolicy = UrlPolicy.strict();
        private String userAgent;
        private Integer eventLoopThreads;
        private EventLoopGroup eventLoopGroup;
        private int maxConnectionsPerHost = DEFAULT_MAX_CONNECTIONS_PER_HOST;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private SSLContext sslContext;

        private Builder() {
        }

        /**
         * Time allowed to open a TCP connection, and again for the TLS handshake. Default
         * {@link #DEFAULT_CONNECT_TIMEOUT}; each request's own timeout bounds both as well.
         *
         * @throws NullPointerException     if {@code connectTimeout} is null
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * Which URLs may be sent to, and which addresses connected to. Default {@link UrlPolicy#strict()}.
         * Its {@link HostResolver} resolves every host this transport connects to.
         *
         * @throws NullPointerException if {@code urlPolicy} is null
         */
        public Builder urlPolicy(UrlPolicy urlPolicy) {
            this.urlPolicy = Objects.requireNonNull(urlPolicy, "urlPolicy");
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
            this.userAgent = JdkHttpTransport.checkedUserAgent(userAgent);
            return this;
        }

        /**
         * How many event-loop threads the transport creates and owns. Default
         * {@link #DEFAULT_EVENT_LOOP_THREADS}. Each destination gets a pool on every loop and its requests
         * are spread over them, so more loops raise the ceiling for one busy endpoint on more cores.
         *
         * @throws IllegalArgumentException if {@code threads} is not within [1, 256]
         * @throws IllegalStateException    if {@link #eventLoopGroup} was set
         */
        public Builder eventLoopThreads(int threads) {
            if (threads < 1 || threads > MAX_EVENT_LOOP_THREADS) {
                throw new IllegalArgumentException("eventLoopThreads must be within [1, " + MAX_EVENT_LOOP_THREADS
                        + "], was " + threads);
            }
            if (eventLoopGroup != null) {
                throw new IllegalStateException("eventLoopThreads cannot be set with eventLoopGroup");
            }
            this.eventLoopThreads = threads;
            return this;
        }

        /**
         * An NIO event-loop group the host owns (a {@code MultiThreadIoEventLoopGroup} with
         * {@code NioIoHandler}), shared with the host's other Netty code. Default: the transport creates
         * its own. The transport never shuts a given group down.
         *
         * @throws NullPointerException     if {@code group} is null
         * @throws IllegalArgumentException if the group does not run NIO
         * @throws IllegalStateException    if {@link #eventLoopThreads} was set
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            Objects.requireNonNull(group, "eventLoopGroup");
            if (!(group instanceof IoEventLoopGroup io) || !io.isIoType(NioIoHandler.class)) {
                throw new IllegalArgumentException("eventLoopGroup must run NIO (MultiThreadIoEventLoopGroup with NioIoHandler)");
            }
            if (eventLoopThreads != null) {
                throw new IllegalStateException("eventLoopGroup cannot be set with eventLoopThreads");
            }
            this.eventLoopGroup = group;
            return this;
        }

        /**
         * Most connections open to one scheme, host and port at once; requests beyond wait for one to
         * free up, within their timeout. Default {@link #DEFAULT_MAX_CONNECTIONS_PER_HOST}.
         *
         * @throws IllegalArgumentException if {@code max} is not within [1, 10000]
         */
        public Builder maxConnectionsPerHost(int max) {
            if (max < 1 || max > MAX_CONNECTIONS_LIMIT) {
                throw new IllegalArgumentException("maxConnectionsPerHost must be within [1, " + MAX_CONNECTIONS_LIMIT
                        + "], was " + max);
            }
            this.maxConnectionsPerHost = max;
            return this;
        }

        /**
         * How long an unused keep-alive connection stays open. Default {@link #DEFAULT_IDLE_TIMEOUT}.
         * Keep it below the receivers' own keep-alive timeouts where known.
         *
         * @throws NullPointerException     if {@code idleTimeout} is null
         * @throws IllegalArgumentException if it is not positive
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = positive(idleTimeout, "idleTimeout");
            return this;
        }

        /**
         * The TLS context for {@code https}: trusted certificates, client certificate, protocols. Default
         * {@link SSLContext#getDefault()}. Host name verification is on whatever the context.
         *
         * @throws NullPointerException if {@code sslContext} is null
         */
        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
            return this;
        }

        /**
         * A new transport with the settings given so far.
         *
         * @throws IllegalStateException if the JDK has no default TLS context and none was given
         */
        public NettyTransport build() {
            return new NettyTransport(this);
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
