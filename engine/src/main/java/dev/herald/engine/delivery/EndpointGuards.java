package dev.herald.engine.delivery;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.failsafe.Bulkhead;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.RateLimiter;
import dev.herald.engine.model.Endpoint;
import java.time.Duration;

/**
 * One bulkhead (in-flight cap), circuit breaker and optional rate limiter per endpoint, from Failsafe,
 * so one bad endpoint holds only its own slots. Guards of endpoints not used for a while are dropped;
 * a dropped guard restarts closed, which is the safe direction. Thread-safe.
 */
final class EndpointGuards {

    /** What stops a request from going now, and when to look again. */
    sealed interface Admission {
        record Admitted(Guard guard) implements Admission {
        }

        record Deferred(Duration retryIn, String reason) implements Admission {
        }
    }

    /** The guards of one endpoint. Settings are fixed when the guard is made; see {@link #key}. */
    static final class Guard {
        private final Bulkhead<Object> bulkhead;
        private final CircuitBreaker<Object> breaker;
        private final RateLimiter<Object> rateLimiter;

        Guard(int maxInFlight, int rateLimit, int circuitFailures, Duration circuitDelay) {
            this.bulkhead = Bulkhead.builder(maxInFlight).build();
            this.breaker = CircuitBreaker.builder().withFailureThreshold(circuitFailures).withDelay(circuitDelay)
                    .build();
            this.rateLimiter = rateLimit > 0 ? RateLimiter.smoothBuilder(rateLimit, Duration.ofSeconds(1)).build()
                    : null;
        }

        /** The sent request got an answer that says the receiver is healthy (2xx or a refusal). */
        void succeeded() {
            breaker.recordSuccess();
            bulkhead.releasePermit();
        }

        /** The request failed in a way that says the receiver is unhealthy (5xx, timeout, refused). */
        void failed() {
            breaker.recordFailure();
            bulkhead.releasePermit();
        }

        boolean isOpen() {
            return breaker.isOpen();
        }
    }

    private static final Duration BUSY_RETRY = Duration.ofMillis(200);

    private final int defaultMaxInFlight;
    private final int circuitFailures;
    private final Duration circuitDelay;
    private final LoadingCache<String, Guard> guards;

    EndpointGuards(int defaultMaxInFlight, int circuitFailures, Duration circuitDelay) {
        this.defaultMaxInFlight = defaultMaxInFlight;
        this.circuitFailures = circuitFailures;
        this.circuitDelay = circuitDelay;
        this.guards = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(30)).build(this::newGuard);
    }

    /**
     * Takes a permit for one request to the endpoint, or says when to look again. The caller must call
     * {@link Guard#succeeded()} or {@link Guard#failed()} once for every {@code Admitted}.
     */
    Admission admit(Endpoint endpoint) {
        Guard guard = guards.get(key(endpoint));
        if (!guard.bulkhead.tryAcquirePermit()) {
            return new Admission.Deferred(BUSY_RETRY, "endpoint busy");
        }
        if (guard.rateLimiter != null && !guard.rateLimiter.tryAcquirePermit()) {
            guard.bulkhead.releasePermit();
            return new Admission.Deferred(BUSY_RETRY, "endpoint rate limit");
        }
        if (!guard.breaker.tryAcquirePermit()) {
            guard.bulkhead.releasePermit();
            Duration wait = guard.breaker.getRemainingDelay();
            return new Admission.Deferred(wait.isZero() ? BUSY_RETRY : wait, "endpoint circuit open");
        }
        return new Admission.Admitted(guard);
    }

    /** The key carries the limits too, so changing an endpoint's limits gives it a fresh guard. */
    private String key(Endpoint endpoint) {
        return endpoint.id() + '|' + effectiveMaxInFlight(endpoint) + '|' + endpoint.rateLimit();
    }

    private int effectiveMaxInFlight(Endpoint endpoint) {
        return endpoint.maxInFlight() > 0 ? endpoint.maxInFlight() : defaultMaxInFlight;
    }

    private Guard newGuard(String key) {
        String[] parts = key.split("\\|");
        return new Guard(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), circuitFailures, circuitDelay);
    }
}
