package dev.herald.engine.delivery;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.failsafe.Bulkhead;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.RateLimiter;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.spi.DeliveryTask;
import dev.herald.engine.spi.QueueEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One bulkhead (in-flight cap), circuit breaker and optional rate limiter per endpoint, from Failsafe,
 * so one bad endpoint holds only its own slots. Guards of endpoints not used for a while are dropped;
 * a dropped guard restarts closed, which is the safe direction. Thread-safe.
 *
 * <p>A delivery refused only because the bulkhead is full waits in the endpoint's line, in memory, as
 * many as the bulkhead holds; when a request to the endpoint ends, its permit goes to the first waiter.
 * Beyond the line a delivery goes back to the store, each such refusal in a row waiting twice as long
 * (from {@link #BUSY_RETRY} up to 16 times that, with jitter) until the endpoint admits one again: a
 * receiver that never answers then costs a store write every few seconds per delivery, not every 200 ms.
 */
final class EndpointGuards {

    /**
     * A claimed delivery in its endpoint's line.
     *
     * @param sendBy after this its lease is too short for a request to end and be recorded within it
     */
    record Waiter(DeliveryTask task, QueueEntry receipt, Endpoint endpoint, Instant sendBy) {
    }

    /** What happens to a delivery now: sent, waiting in line, or back to the store for a while. */
    sealed interface Admission {
        record Admitted(Guard guard) implements Admission {
        }

        /** In the endpoint's line; a {@link Handoff} from a finished request says what follows. */
        record Waiting() implements Admission {
        }

        record Deferred(Duration retryIn, String reason) implements Admission {
        }
    }

    /** A waiter taken from the line when a permit freed, with what it got: Admitted or Deferred. */
    record Handoff(Waiter waiter, Admission admission) {
    }

    /** The guards of one endpoint. Settings are fixed when the guard is made; see {@link #key}. */
    final class Guard {
        private final int maxInFlight;
        private final Bulkhead<Object> bulkhead;
        private final CircuitBreaker<Object> breaker;
        private final RateLimiter<Object> rateLimiter;
        /** Refused only for want of a permit, first come first served; never longer than the bulkhead. */
        private final Deque<Waiter> line = new ArrayDeque<>();
        /** Deliveries sent back to the store as busy since the endpoint last admitted one. */
        private int busyRefusals;

        Guard(int maxInFlight, int rateLimit) {
            this.maxInFlight = maxInFlight;
            this.bulkhead = Bulkhead.builder(maxInFlight).build();
            this.breaker = CircuitBreaker.builder().withFailureThreshold(circuitFailures).withDelay(circuitDelay)
                    .build();
            this.rateLimiter = rateLimit > 0 ? RateLimiter.smoothBuilder(rateLimit, Duration.ofSeconds(1)).build()
                    : null;
        }

        /**
         * The sent request got an answer that says the receiver is healthy (2xx or a refusal). Returns
         * the waiters its permit went to; the caller must act on each.
         */
        List<Handoff> succeeded(Instant now) {
            breaker.recordSuccess();
            return release(now);
        }

        /** The request failed in a way that says the receiver is unhealthy (5xx, timeout, refused). As above. */
        List<Handoff> failed(Instant now) {
            breaker.recordFailure();
            return release(now);
        }

        // Taking and giving back permits, and the line, share this guard's lock: a delivery cannot join
        // the line just after the last permit was given back and then wait for a request that never ends.
        private synchronized Admission admit(Waiter waiter) {
            // A line means every permit is taken: joining it keeps first come, first served.
            Admission now = line.isEmpty() ? tryAdmit() : null;
            if (now != null) {
                return now;
            }
            if (waiting && line.size() < maxInFlight) {
                line.add(waiter);
                return new Admission.Waiting();
            }
            busyRefusals++;
            return new Admission.Deferred(busyDelay(busyRefusals, random), BUSY);
        }

        private synchronized List<Handoff> release(Instant now) {
            bulkhead.releasePermit();
            List<Handoff> handoffs = new ArrayList<>(1);
            // The free permit goes to the first waiter that takes it; one the breaker or rate limiter
            // refuses goes back to the store and leaves it to the next.
            while (!line.isEmpty()) {
                Waiter next = line.remove();
                if (now.isAfter(next.sendBy())) {
                    handoffs.add(new Handoff(next, new Admission.Deferred(BUSY_RETRY, BUSY)));
                    continue;
                }
                Admission admission = tryAdmit();
                if (admission == null) {
                    // Not reached while every permit is taken and given back under this lock; kept safe anyway.
                    line.addFirst(next);
                    break;
                }
                handoffs.add(new Handoff(next, admission));
                if (admission instanceof Admission.Admitted) {
                    break;
                }
            }
            return handoffs;
        }

        private synchronized List<Waiter> drain() {
            List<Waiter> all = new ArrayList<>(line);
            line.clear();
            return all;
        }

        /** A permit now, or why not; null when the bulkhead is full. */
        private Admission tryAdmit() {
            if (!bulkhead.tryAcquirePermit()) {
                return null;
            }
            if (rateLimiter != null && !rateLimiter.tryAcquirePermit()) {
                bulkhead.releasePermit();
                return new Admission.Deferred(BUSY_RETRY, "endpoint rate limit");
            }
            if (!breaker.tryAcquirePermit()) {
                bulkhead.releasePermit();
                Duration wait = breaker.getRemainingDelay();
                return new Admission.Deferred(wait.isZero() ? BUSY_RETRY : wait, "endpoint circuit open");
            }
            busyRefusals = 0;
            return new Admission.Admitted(this);
        }
    }

    static final Duration BUSY_RETRY = Duration.ofMillis(200);
    /** Doublings of {@link #BUSY_RETRY} for refusals in a row: 200 ms, 400 ms, ..., 3.2 s. */
    static final int BUSY_DOUBLINGS = 4;
    /** Busy delays move by up to ±20%, so deliveries refused together do not all come back together. */
    static final double BUSY_JITTER = 0.2;
    private static final String BUSY = "endpoint busy";

    private final int defaultMaxInFlight;
    private final int circuitFailures;
    private final Duration circuitDelay;
    private final RandomGenerator random;
    private final LoadingCache<String, Guard> guards;
    private volatile boolean waiting = true;

    EndpointGuards(int defaultMaxInFlight, int circuitFailures, Duration circuitDelay, RandomGenerator random) {
        this.defaultMaxInFlight = defaultMaxInFlight;
        this.circuitFailures = circuitFailures;
        this.circuitDelay = circuitDelay;
        this.random = random;
        this.guards = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(30)).build(this::newGuard);
    }

    /**
     * Takes a permit for one request to the endpoint, puts the delivery in the endpoint's line, or says
     * when to look again. The caller must call {@link Guard#succeeded} or {@link Guard#failed} once for
     * every {@code Admitted}, and keep a {@code Waiting} delivery until a {@link Handoff} names it or
     * {@link #stopWaiting()} returns it.
     */
    Admission admit(Waiter waiter) {
        return guards.get(key(waiter.endpoint())).admit(waiter);
    }

    /**
     * Empties every line and lets nothing wait from now on (a full bulkhead defers as busy), for shutdown.
     * Returns the deliveries that were waiting.
     */
    List<Waiter> stopWaiting() {
        waiting = false;
        List<Waiter> all = new ArrayList<>();
        for (Guard guard : guards.asMap().values()) {
            all.addAll(guard.drain());
        }
        return all;
    }

    /** How long a delivery refused as busy for the n-th time in a row (n ≥ 1) stays in the store. */
    static Duration busyDelay(int refusalsInARow, RandomGenerator random) {
        long nanos = BUSY_RETRY.toNanos() << Math.min(refusalsInARow - 1, BUSY_DOUBLINGS);
        return Duration.ofNanos(Math.round(nanos * (1 + BUSY_JITTER * random.nextDouble(-1.0, 1.0))));
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
        return new Guard(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }
}
