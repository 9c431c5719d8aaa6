package dev.herald.engine;

import static dev.herald.engine.internal.Checks.inRange;

import dev.herald.engine.http.JdkHttpTransport;
import dev.herald.engine.http.NettyTransport;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.memory.InMemoryDeliveryStore;
import dev.herald.engine.memory.InProcessDeliveryQueue;
import dev.herald.engine.retry.RetryPolicy;
import dev.herald.engine.spi.DeliveryQueue;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.spi.Transport;
import dev.herald.engine.upload.UploadSettings;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * Configures and builds a {@link Herald}. Every setter checks its argument at once: a null throws
 * {@link NullPointerException} naming the parameter, an out-of-range value throws
 * {@link IllegalArgumentException} stating the range. {@link #build()} copies the settings, so a builder
 * may be reused; an engine never changes after it is built. Not thread-safe.
 *
 * <p>Defaults, each a named constant below: an in-memory store and an in-process queue (fine for tests
 * and demos, not durable), {@link NettyTransport} with the strict URL policy (https only,
 * no private networks), {@link RetryPolicy#defaults()}, the system UTC clock, a {@link SecureRandom},
 * {@value #DEFAULT_MAX_IN_FLIGHT} requests in flight, {@value #DEFAULT_ENDPOINT_MAX_IN_FLIGHT} per endpoint,
 * a circuit breaker per endpoint opening after {@value #DEFAULT_CIRCUIT_FAILURES} failures in a row.
 */
public final class HeraldBuilder {
    /** Requests in flight at once, across endpoints. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 512;
    /** Requests in flight at once to one endpoint, unless the endpoint sets its own. */
    public static final int DEFAULT_ENDPOINT_MAX_IN_FLIGHT = 32;
    /** Deliveries claimed from the store or taken from the queue per round trip. */
    public static final int DEFAULT_BATCH_SIZE = 256;
    /** Deadline of one webhook request, connection included. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** How long a claim holds a delivery; must exceed the request timeout by a margin. */
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);
    /** How often an idle worker sweeps the store for due work the queue did not hand out. */
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(1);
    /** How long {@link Herald#close()} waits for in-flight requests. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
    /** Failures in a row that open an endpoint's circuit. */
    public static final int DEFAULT_CIRCUIT_FAILURES = 20;
    /** How long an open circuit waits before a trial request. */
    public static final Duration DEFAULT_CIRCUIT_DELAY = Duration.ofSeconds(30);
    /** Largest event data accepted, in bytes of UTF-8. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024;
    /** Room an upload event needs besides its metadata: file name, key, URL and the rest, escaped. */
    public static final int UPLOAD_PAYLOAD_MARGIN = 8 * 1024;
    /** Threads for signing and bookkeeping when no executor is given. */
    public static final int DEFAULT_WORKER_THREADS = 2;

    DeliveryStore store;
    DeliveryQueue queue;
    Transport transport;
    UrlPolicy urlPolicy = UrlPolicy.strict();
    RetryPolicy retryPolicy = RetryPolicy.defaults();
    Clock clock = Clock.systemUTC();
    RandomGenerator random;
    Executor executor;
    int workerThreads = DEFAULT_WORKER_THREADS;
    int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    int endpointMaxInFlight = DEFAULT_ENDPOINT_MAX_IN_FLIGHT;
    int batchSize = DEFAULT_BATCH_SIZE;
    Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    Duration lease = DEFAULT_LEASE;
    Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
    Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
    int circuitFailures = DEFAULT_CIRCUIT_FAILURES;
    Duration circuitDelay = DEFAULT_CIRCUIT_DELAY;
    int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    final Set<String> eventTypes = new LinkedHashSet<>();
    final Map<String, Duration> coalescing = new LinkedHashMap<>();
    final List<HeraldListener> listeners = new ArrayList<>();
    boolean operationalEvents;
    String instanceId;
    UploadSettings uploadSettings;

    HeraldBuilder() {
    }

    /** Where everything is kept. Default: an {@link InMemoryDeliveryStore} (not durable; a warning is logged). */
    public HeraldBuilder store(DeliveryStore value) {
        this.store = Objects.requireNonNull(value, "store");
        return this;
    }

    /** What hands due deliveries to workers. Default: an {@link InProcessDeliveryQueue}. */
    public HeraldBuilder queue(DeliveryQueue value) {
        this.queue = Objects.requireNonNull(value, "queue");
        return this;
    }

    /**
     * What sends requests. Default: {@link NettyTransport} with this builder's URL policy, the fastest JVM
     * client measured (docs/benchmarks.md); {@link JdkHttpTransport} is the zero-dependency choice. A
     * transport given here applies its own URL policy at connect time.
     */
    public HeraldBuilder transport(Transport value) {
        this.transport = Objects.requireNonNull(value, "transport");
        return this;
    }

    /** Which endpoint URLs are accepted at registration (and by the default transport). Default: {@link UrlPolicy#strict()}. */
    public HeraldBuilder urlPolicy(UrlPolicy value) {
        this.urlPolicy = Objects.requireNonNull(value, "urlPolicy");
        return this;
    }

    /** When failed deliveries are tried again. Default: {@link RetryPolicy#defaults()}. */
    public HeraldBuilder retryPolicy(RetryPolicy value) {
        this.retryPolicy = Objects.requireNonNull(value, "retryPolicy");
        return this;
    }

    /** The time source. Default: {@link Clock#systemUTC()}. */
    public HeraldBuilder clock(Clock value) {
        this.clock = Objects.requireNonNull(value, "clock");
        return this;
    }

    /** Randomness for ids, secrets and jitter; must be thread-safe. Default: a {@link SecureRandom}. */
    public HeraldBuilder random(RandomGenerator value) {
        this.random = Objects.requireNonNull(value, "random");
        return this;
    }

    /**
     * Runs signing, result handling and listener calls. Default: {@link #workerThreads(int)} daemon threads
     * owned by the engine. A host on JDK 21+ may pass a virtual-thread executor. Not shut down by the engine.
     */
    public HeraldBuilder executor(Executor value) {
        this.executor = Objects.requireNonNull(value, "executor");
        return this;
    }

    /** Threads of the default executor, within [1, 256]. Default {@value #DEFAULT_WORKER_THREADS}. */
    public HeraldBuilder workerThreads(int value) {
        this.workerThreads = inRange("workerThreads", value, 1, 256);
        return this;
    }

    /** Requests in flight at once, within [1, 100000]. Default {@value #DEFAULT_MAX_IN_FLIGHT}. */
    public HeraldBuilder maxInFlight(int value) {
        this.maxInFlight = inRange("maxInFlight", value, 1, 100_000);
        return this;
    }

    /** Requests in flight at once to one endpoint, within [1, 10000]. Default {@value #DEFAULT_ENDPOINT_MAX_IN_FLIGHT}. */
    public HeraldBuilder endpointMaxInFlight(int value) {
        this.endpointMaxInFlight = inRange("endpointMaxInFlight", value, 1, 10_000);
        return this;
    }

    /** Deliveries per claim, within [1, 5000]. Default {@value #DEFAULT_BATCH_SIZE}. */
    public HeraldBuilder batchSize(int value) {
        this.batchSize = inRange("batchSize", value, 1, 5_000);
        return this;
    }

    /** Deadline of one request, within [10 ms, 5 min]. Default 15 s. */
    public HeraldBuilder requestTimeout(Duration value) {
        this.requestTimeout = inRange("requestTimeout", value, Duration.ofMillis(10), Duration.ofMinutes(5));
        return this;
    }

    /** How long a claim holds a delivery, within [100 ms, 1 h]; at least twice the request timeout. Default 60 s. */
    public HeraldBuilder lease(Duration value) {
        this.lease = inRange("lease", value, Duration.ofMillis(100), Duration.ofHours(1));
        return this;
    }

    /** How often an idle worker sweeps the store, within [10 ms, 10 min]. Default 1 s. */
    public HeraldBuilder sweepInterval(Duration value) {
        this.sweepInterval = inRange("sweepInterval", value, Duration.ofMillis(10), Duration.ofMinutes(10));
        return this;
    }

    /** How long {@link Herald#close()} waits for in-flight requests, within [0, 10 min]. Default 20 s. */
    public HeraldBuilder shutdownTimeout(Duration value) {
        this.shutdownTimeout = inRange("shutdownTimeout", value, Duration.ZERO, Duration.ofMinutes(10));
        return this;
    }

    /**
     * The per-endpoint circuit breaker: it opens after {@code failures} retryable failures in a row
     * (within [1, 10000]), and tries again after {@code delay} (within [1 ms, 1 h]). Deliveries to an
     * open circuit wait without spending an attempt. Default 20 failures, 30 s.
     */
    public HeraldBuilder circuitBreaker(int failures, Duration delay) {
        this.circuitFailures = inRange("failures", failures, 1, 10_000);
        this.circuitDelay = inRange("delay", delay, Duration.ofMillis(1), Duration.ofHours(1));
        return this;
    }

    /** Largest event data in bytes, within [1 KiB, 16 MiB]. Default 256 KiB. */
    public HeraldBuilder maxPayloadBytes(int value) {
        this.maxPayloadBytes = inRange("maxPayloadBytes", value, 1024, 16 * 1024 * 1024);
        return this;
    }

    /**
     * Declares event types the host publishes. Once any is declared, publishing or filtering on a type
     * that is neither declared nor built in is refused with {@link ErrorCode#INVALID_EVENT_TYPE}. With none
     * declared, any well-formed type is accepted.
     */
    public HeraldBuilder eventTypes(String... types) {
        Objects.requireNonNull(types, "types");
        for (String type : types) {
            if (!EventTypes.isWellFormed(Objects.requireNonNull(type, "type"))) {
                throw new IllegalArgumentException("malformed event type: " + type);
            }
            eventTypes.add(type);
        }
        return this;
    }

    /**
     * Marks {@code type} as coalescing: per subject, at most one event of it is published per
     * {@code interval} (within [1 ms, 1 h]), the latest one winning. Events in between are held in memory,
     * replaced by newer ones, and published when the interval ends; a held event is lost if the process
     * dies first, which suits progress updates and nothing else.
     */
    public HeraldBuilder coalesce(String type, Duration interval) {
        if (!EventTypes.isWellFormed(Objects.requireNonNull(type, "type"))) {
            throw new IllegalArgumentException("malformed event type: " + type);
        }
        coalescing.put(type, inRange("interval", interval, Duration.ofMillis(1), Duration.ofHours(1)));
        return this;
    }

    /** Adds a listener. Listeners are called in the order added. */
    public HeraldBuilder listener(HeraldListener value) {
        listeners.add(Objects.requireNonNull(value, "listener"));
        return this;
    }

    /**
     * Whether the engine publishes {@code delivery.dead} and {@code endpoint.disabled} events to the
     * tenant's endpoints that name those types in their filter (not by {@code *}). Default false.
     */
    public HeraldBuilder operationalEvents(boolean value) {
        this.operationalEvents = value;
        return this;
    }

    /**
     * Turns on {@link Herald#uploads()}: direct-to-storage uploads with these settings (for S3 and R2, start
     * from {@code dev.herald.engine.s3.S3Uploads}). Default: none, and {@code uploads()} throws.
     */
    public HeraldBuilder uploads(UploadSettings value) {
        this.uploadSettings = Objects.requireNonNull(value, "uploadSettings");
        return this;
    }

    /** This engine's name in leases; unique per running engine. Default: a random UUID. */
    public HeraldBuilder instanceId(String value) {
        Objects.requireNonNull(value, "instanceId");
        if (value.isBlank() || value.length() > 100) {
            throw new IllegalArgumentException("instanceId must have 1 to 100 characters");
        }
        this.instanceId = value;
        return this;
    }

    /**
     * Builds the engine. Publishing works at once; call {@link Herald#start()} to deliver.
     *
     * @throws IllegalStateException when settings clash (a lease shorter than twice the request timeout;
     *                               upload metadata that would not fit in an event with
     *                               {@value #UPLOAD_PAYLOAD_MARGIN} bytes to spare)
     */
    public Herald build() {
        if (lease.compareTo(requestTimeout.multipliedBy(2)) < 0) {
            throw new IllegalStateException("lease (" + lease + ") must be at least twice requestTimeout ("
                    + requestTimeout + ")");
        }
        if (uploadSettings != null && uploadSettings.maxMetadataBytes() + UPLOAD_PAYLOAD_MARGIN > maxPayloadBytes) {
            throw new IllegalStateException("uploads' maxMetadataBytes (" + uploadSettings.maxMetadataBytes()
                    + ") plus " + UPLOAD_PAYLOAD_MARGIN + " bytes for the rest of an upload event must fit in "
                    + "maxPayloadBytes (" + maxPayloadBytes + ")");
        }
        return new DefaultHerald(this);
    }

    static String defaultInstanceId() {
        return "herald-" + UUID.randomUUID();
    }
}
