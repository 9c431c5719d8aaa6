package dev.herald.engine.delivery;

import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.ErrorKind;
import dev.herald.engine.model.Ids;
import dev.herald.engine.retry.ResponseClassifier;
import dev.herald.engine.retry.Verdict;
import dev.herald.engine.signing.SigningKey;
import dev.herald.engine.signing.WebhookSigner;
import dev.herald.engine.spi.DeliveryTask;
import dev.herald.engine.spi.Lease;
import dev.herald.engine.spi.Outcome;
import dev.herald.engine.spi.QueueEntry;
import dev.herald.engine.spi.QueuedDelivery;
import dev.herald.engine.spi.TransportRequest;
import dev.herald.engine.spi.TransportResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves due deliveries from the store to receivers. Internal to the engine; {@code docs/architecture.md}
 * tells the same story.
 *
 * <h2>Design note</h2>
 * <ul>
 * <li><b>Two threads, one pool.</b> The <em>claimer</em> thread takes due ids from the queue and claims them
 * in the store under a lease, as many as it has free slots for (at most {@code batchSize} a round trip).
 * Sending is asynchronous: the transport holds the connections, the executor signs and classifies. The
 * <em>recorder</em> thread writes outcomes to the store in batches (group commit), then acknowledges the
 * queue, offers retries back to it, tells listeners and frees the slots. A slot is held from claim to
 * record, so {@code maxInFlight} bounds the heap whatever the backlog.</li>
 * <li><b>The store is the truth.</b> Every id from the queue is claimed in the store, so a duplicate or
 * stale queue entry costs one claim that finds nothing. When the queue gives nothing, and at least every
 * {@code sweepInterval} even when it does, the claimer sweeps the store for due deliveries (the queue lost
 * them, dropped them when full, or their lease ran out) and claims them directly, again at once after a
 * full batch. That sweep is the reconciler.</li>
 * <li><b>Leases.</b> A claim holds a delivery until {@code now + lease}; the recorder's write only lands
 * while this engine still holds it. A crashed engine's deliveries become claimable when their lease
 * ends, so a receiver may see a delivery twice (same {@code webhook-id}), never zero times.</li>
 * <li><b>One bad endpoint harms nobody else.</b> Each endpoint has a bulkhead, a circuit breaker and
 * optionally a rate limiter ({@link EndpointGuards}). A delivery refused only because the endpoint's
 * bulkhead is full waits in memory, in the endpoint's line (as long as the bulkhead), keeping its slot,
 * and is sent when a request to the endpoint ends; so a busy or hung endpoint does not make the store
 * write and claim its deliveries again and again. Beyond the line, and when the circuit is open or the
 * rate limit reached, the delivery goes back to the store with a delay and no attempt spent, freeing the
 * slot for other endpoints; busy refusals in a row wait longer each time, up to a few seconds.</li>
 * <li><b>Shutdown.</b> The claimer stops, in-flight requests get {@code shutdownTimeout} to finish, and
 * whatever is still in flight is released in the store, due now, for another instance. Deliveries
 * waiting in an endpoint's line are handed back at once the same way.</li>
 * </ul>
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final Duration MAX_POLL_WAIT = Duration.ofMillis(500);
    private static final Duration DISABLED_RECHECK = Duration.ofSeconds(30);
    private static final Duration ERROR_BACKOFF = Duration.ofSeconds(1);
    private static final int RECORD_BATCH = 1000;
    private static final int RECORD_TRIES = 3;

    /** An outcome waiting for the recorder, with what must follow it. */
    private record Pending(Outcome outcome, DeliveryTask task, QueueEntry receipt, Endpoint endpoint, boolean gone) {
    }

    private final DispatchSettings s;
    private final EndpointGuards guards;
    private final WebhookSigner signer = new WebhookSigner();
    private final Semaphore slots;
    /** Claimed and not yet recorded, by delivery id, with the queue receipt (null when swept). */
    private final Map<String, Optional<QueueEntry>> inFlight = new ConcurrentHashMap<>();
    private final BlockingQueue<Pending> pending = new LinkedBlockingQueue<>();
    private volatile boolean claiming;
    private volatile boolean recording;
    private Thread claimer;
    private Thread recorder;

    public Dispatcher(DispatchSettings settings) {
        this.s = settings;
        this.guards = new EndpointGuards(settings.endpointMaxInFlight(), settings.circuitFailures(),
                settings.circuitDelay(), settings.random());
        this.slots = new Semaphore(settings.maxInFlight());
    }

    /** Starts the claimer and recorder threads. */
    public synchronized void start() {
        if (claimer != null) {
            return;
        }
        claiming = true;
        recording = true;
        recorder = new Thread(this::recordLoop, "herald-recorder-" + s.instanceId());
        recorder.setDaemon(true);
        recorder.start();
        claimer = new Thread(this::claimLoop, "herald-claimer-" + s.instanceId());
        claimer.setDaemon(true);
        claimer.start();
    }

    /** Deliveries claimed and not yet recorded: sending, waiting for a busy endpoint, or being recorded. */
    public int inFlight() {
        return inFlight.size();
    }

    // ---- claiming ----

    private void claimLoop() {
        long nextSweepAt = System.nanoTime();
        while (claiming) {
            try {
                int free = slots.availablePermits();
                if (free == 0) {
                    // Wait for the recorder to free a slot, then give it straight back: we only wanted to know.
                    if (slots.tryAcquire(MAX_POLL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                        slots.release();
                    }
                    continue;
                }
                int want = Math.min(free, s.batchSize());
                boolean sweepDue = System.nanoTime() - nextSweepAt >= 0;
                List<QueueEntry> entries = s.queue().poll(want, sweepDue ? Duration.ZERO : pollWait(nextSweepAt));
                Instant now = s.clock().instant();
                Lease lease = new Lease(s.instanceId(), now.plus(s.lease()));
                List<DeliveryTask> tasks = new ArrayList<>();
                Map<String, QueueEntry> receipts = new HashMap<>();
                if (!entries.isEmpty()) {
                    tasks.addAll(claimFromQueue(entries, lease, now, receipts));
                }
                if (sweepDue || (entries.isEmpty() && tasks.isEmpty() && System.nanoTime() - nextSweepAt >= 0)) {
                    int room = want - tasks.size();
                    List<DeliveryTask> swept = room > 0 ? s.store().claimDue(lease, now, room) : List.of();
                    tasks.addAll(swept);
                    // A full sweep means more is due: look again at once instead of after the interval.
                    nextSweepAt = swept.size() == room && room > 0 ? System.nanoTime()
                            : System.nanoTime() + s.sweepInterval().toNanos();
                }
                slots.acquireUninterruptibly(tasks.size());
                for (DeliveryTask task : tasks) {
                    QueueEntry receipt = receipts.get(task.delivery().id());
                    inFlight.put(task.delivery().id(), Optional.ofNullable(receipt));
                    Instant leaseEnds = lease.until();
                    s.executor().execute(() -> send(task, receipt, leaseEnds));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Claiming deliveries failed; trying again in {}: {}", ERROR_BACKOFF, e.toString());
                LockSupport.parkNanos(ERROR_BACKOFF.toNanos());
            }
        }
    }

    private Duration pollWait(long nextSweepAt) {
        long untilSweep = Math.max(0, nextSweepAt - System.nanoTime());
        return Duration.ofNanos(Math.min(untilSweep, MAX_POLL_WAIT.toNanos()));
    }

    private List<DeliveryTask> claimFromQueue(List<QueueEntry> entries, Lease lease, Instant now,
                                              Map<String, QueueEntry> receipts) {
        Map<String, QueueEntry> byId = new HashMap<>();
        List<QueueEntry> done = new ArrayList<>();
        for (QueueEntry e : entries) {
            // A second entry for an id, or one for a delivery this engine is sending now, needs only an ack.
            if (inFlight.containsKey(e.deliveryId()) || byId.putIfAbsent(e.deliveryId(), e) != null) {
                done.add(e);
            }
        }
        List<DeliveryTask> claimed = byId.isEmpty() ? List.of() : s.store().claim(byId.keySet(), lease, now);
        for (DeliveryTask t : claimed) {
            receipts.put(t.delivery().id(), byId.remove(t.delivery().id()));
        }
        // What is left was not claimable (already final, not due, leased elsewhere): the store has it.
        done.addAll(byId.values());
        s.queue().ack(done);
        return claimed;
    }

    // ---- sending ----

    private void send(DeliveryTask task, QueueEntry receipt, Instant leaseEnds) {
        Delivery d = task.delivery();
        Instant now = s.clock().instant();
        try {
            Optional<Endpoint> found = s.directory().endpoint(d.tenant(), d.endpointId());
            if (found.isEmpty()) {
                Attempt attempt = attempt(d, now, Duration.ZERO, 0, "", ErrorKind.ENDPOINT_GONE, "endpoint deleted");
                submit(task, receipt, null, finalOutcome(d, attempt, DeliveryStatus.FAILED, now), false);
                return;
            }
            Endpoint endpoint = found.get();
            if (!endpoint.enabled()) {
                submit(task, receipt, endpoint, deferral(d, now.plus(DISABLED_RECHECK), "endpoint disabled", now),
                        false);
                return;
            }
            // A request started later than this might outlast the lease: its outcome would be refused and
            // the delivery sent twice. Half the request timeout again is left for recording.
            Instant sendBy = leaseEnds.minus(s.requestTimeout().multipliedBy(3).dividedBy(2));
            EndpointGuards.Waiter waiter = new EndpointGuards.Waiter(task, receipt, endpoint, sendBy);
            proceed(waiter, guards.admit(waiter));
        } catch (RuntimeException e) {
            notSent(task, receipt, now, e);
        }
    }

    /** Never lose the slot or the delivery: count it as a failed attempt and let the schedule retry it. */
    private void notSent(DeliveryTask task, QueueEntry receipt, Instant now, RuntimeException e) {
        Delivery d = task.delivery();
        log.warn("Delivery {} could not be sent: {}", d.id(), e.toString());
        Attempt attempt = attempt(d, now, Duration.ZERO, 0, "", ErrorKind.OTHER, "internal error");
        submit(task, receipt, null, retryOrDead(d, attempt, null, now), false);
    }

    /** Sends, defers or (when {@code Waiting}) leaves the delivery to a later {@link #handOff}. */
    private void proceed(EndpointGuards.Waiter waiter, EndpointGuards.Admission admission) {
        DeliveryTask task = waiter.task();
        if (admission instanceof EndpointGuards.Admission.Admitted admitted) {
            request(task, waiter.receipt(), waiter.endpoint(), admitted.guard());
        } else if (admission instanceof EndpointGuards.Admission.Deferred deferred) {
            Instant now = s.clock().instant();
            submit(task, waiter.receipt(), waiter.endpoint(),
                    deferral(task.delivery(), now.plus(deferred.retryIn()), deferred.reason(), now), false);
        }
    }

    /** A request to the endpoint ended and freed its permit: the waiters it went to go on. */
    private void handOff(List<EndpointGuards.Handoff> handoffs) {
        for (EndpointGuards.Handoff h : handoffs) {
            proceed(h.waiter(), h.admission());
        }
    }

    private void request(DeliveryTask task, QueueEntry receipt, Endpoint endpoint, EndpointGuards.Guard guard) {
        Instant now = s.clock().instant();
        try {
            TransportRequest request = signedRequest(task, endpoint, now);
            long started = System.nanoTime();
            s.transport().send(request).whenCompleteAsync((result, error) -> {
                TransportResult outcome = error == null ? result
                        : new TransportResult.Failed(ErrorKind.OTHER, error.getClass().getSimpleName(),
                        Duration.ofNanos(System.nanoTime() - started));
                complete(task, receipt, endpoint, guard, now, outcome);
            }, s.executor());
        } catch (RuntimeException e) {
            notSent(task, receipt, now, e);
            handOff(guard.failed(now)); // the permit comes back too, or the endpoint's line would stop
        }
    }

    private TransportRequest signedRequest(DeliveryTask task, Endpoint endpoint, Instant now) {
        byte[] body = task.event().envelope().getBytes(StandardCharsets.UTF_8);
        List<SigningKey> keys = endpoint.signingSecrets(now).stream().map(sec -> SigningKey.parse(sec.value()))
                .toList();
        Map<String, String> headers = new HashMap<>(endpoint.headers());
        headers.putAll(signer.sign(keys, task.delivery().id(), now.getEpochSecond(), task.event().type(), body));
        return new TransportRequest(endpoint.url(), headers, body, s.requestTimeout());
    }

    private void complete(DeliveryTask task, QueueEntry receipt, Endpoint endpoint, EndpointGuards.Guard guard,
                          Instant startedAt, TransportResult result) {
        Delivery d = task.delivery();
        Instant now = s.clock().instant();
        List<EndpointGuards.Handoff> next = null;
        try {
            int status = result instanceof TransportResult.Responded r ? r.status() : 0;
            String body = result instanceof TransportResult.Responded r ? r.bodyPrefix() : "";
            Verdict verdict = ResponseClassifier.classify(result, now);
            if (verdict instanceof Verdict.Success) {
                next = guard.succeeded(now);
                Attempt attempt = attempt(d, startedAt, result.elapsed(), status, body, null, null);
                submit(task, receipt, endpoint, finalOutcome(d, attempt, DeliveryStatus.SUCCEEDED, now), false);
            } else if (verdict instanceof Verdict.Fail fail) {
                next = guard.succeeded(now);
                Attempt attempt = attempt(d, startedAt, result.elapsed(), status, body, fail.kind(), fail.reason());
                submit(task, receipt, endpoint, finalOutcome(d, attempt, DeliveryStatus.FAILED, now), false);
            } else if (verdict instanceof Verdict.Gone gone) {
                next = guard.succeeded(now);
                Attempt attempt = attempt(d, startedAt, result.elapsed(), status, body, ErrorKind.HTTP_STATUS,
                        gone.reason());
                submit(task, receipt, endpoint, finalOutcome(d, attempt, DeliveryStatus.FAILED, now), true);
            } else if (verdict instanceof Verdict.Retry retry) {
                next = guard.failed(now);
                Attempt attempt = attempt(d, startedAt, result.elapsed(), status, body, retry.kind(), retry.reason());
                submit(task, receipt, endpoint, retryOrDead(d, attempt, retry.retryAfter(), now), false);
            }
        } catch (RuntimeException e) {
            log.warn("Delivery {} outcome could not be handled: {}", d.id(), e.toString());
            Attempt attempt = attempt(d, startedAt, result.elapsed(), 0, "", ErrorKind.OTHER, "internal error");
            submit(task, receipt, endpoint, retryOrDead(d, attempt, null, now), false);
        }
        if (next == null) {
            // Whatever failed above, the permit must come back, or the endpoint's line would never move.
            next = guard.failed(now);
        }
        handOff(next);
    }

    private Attempt attempt(Delivery d, Instant startedAt, Duration elapsed, int status, String body, ErrorKind kind,
                            String message) {
        return new Attempt(s.ids().next(Ids.ATTEMPT), d.id(), d.attempts() + 1, startedAt, elapsed, status, body, kind,
                message);
    }

    private Outcome finalOutcome(Delivery d, Attempt attempt, DeliveryStatus status, Instant now) {
        return new Outcome(d.id(), s.instanceId(), attempt, status, attempt.number(), now, attempt.errorMessage(), now);
    }

    private Outcome retryOrDead(Delivery d, Attempt attempt, Duration retryAfter, Instant now) {
        Optional<Duration> delay = s.retryPolicy().delayBefore(attempt.number() + 1, retryAfter, s.random());
        return delay.map(wait -> new Outcome(d.id(), s.instanceId(), attempt, DeliveryStatus.SCHEDULED,
                        attempt.number(), now.plus(wait), attempt.errorMessage(), now))
                .orElseGet(() -> finalOutcome(d, attempt, DeliveryStatus.DEAD, now));
    }

    private Outcome deferral(Delivery d, Instant dueAt, String reason, Instant now) {
        return new Outcome(d.id(), s.instanceId(), null, DeliveryStatus.SCHEDULED, d.attempts(), dueAt,
                d.lastError() != null ? d.lastError() : reason, now);
    }

    private void submit(DeliveryTask task, QueueEntry receipt, Endpoint endpoint, Outcome outcome, boolean gone) {
        pending.add(new Pending(outcome, task, receipt, endpoint, gone));
    }

    // ---- recording ----

    private void recordLoop() {
        List<Pending> batch = new ArrayList<>(RECORD_BATCH);
        while (recording || !pending.isEmpty()) {
            try {
                Pending first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, RECORD_BATCH - 1);
                recordBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("Recording outcomes failed unexpectedly", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void recordBatch(List<Pending> batch) throws InterruptedException {
        List<Outcome> outcomes = batch.stream().map(Pending::outcome).toList();
        Set<String> applied = Set.of();
        for (int tryNo = 1; tryNo <= RECORD_TRIES; tryNo++) {
            try {
                applied = s.store().record(outcomes);
                break;
            } catch (RuntimeException e) {
                // After the last try the leases run out and the deliveries are claimed and sent again:
                // a duplicate at worst, never a loss.
                log.warn("Recording {} outcomes failed (try {} of {}): {}", outcomes.size(), tryNo, RECORD_TRIES,
                        e.toString());
                if (tryNo < RECORD_TRIES) {
                    TimeUnit.MILLISECONDS.sleep(200L * tryNo);
                }
            }
        }
        List<QueuedDelivery> retries = new ArrayList<>();
        List<QueueEntry> receipts = new ArrayList<>();
        for (Pending p : batch) {
            String id = p.outcome().deliveryId();
            inFlight.remove(id);
            if (p.receipt() != null) {
                receipts.add(p.receipt());
            }
            if (!applied.contains(id)) {
                log.debug("Delivery {}: outcome not recorded, lease lost", id);
                continue;
            }
            if (p.outcome().status() == DeliveryStatus.SCHEDULED) {
                retries.add(new QueuedDelivery(id, p.outcome().nextAttemptAt()));
            }
            announce(p);
        }
        s.queue().offer(retries);
        s.queue().ack(receipts);
        slots.release(batch.size());
    }

    private void announce(Pending p) {
        Outcome o = p.outcome();
        Delivery before = p.task().delivery();
        Delivery after = new Delivery(before.id(), before.tenant(), before.eventId(), before.eventType(),
                before.endpointId(), o.status(), o.attempts(), o.nextAttemptAt(), o.lastError(), before.createdAt(),
                o.at());
        Attempt attempt = o.attempt();
        try {
            if (attempt == null) {
                log.debug("Delivery {} deferred until {}: {}", after.id(), o.nextAttemptAt(), o.lastError());
                return;
            }
            switch (o.status()) {
                case SUCCEEDED -> {
                    log.debug("Delivery {} succeeded: HTTP {} in {} ms", after.id(), attempt.responseStatus(),
                            attempt.duration().toMillis());
                    s.listener().deliverySucceeded(after, attempt);
                }
                case SCHEDULED -> {
                    log.debug("Delivery {} attempt {} failed ({}), next at {}", after.id(), attempt.number(),
                            attempt.errorMessage(), o.nextAttemptAt());
                    s.listener().deliveryRetrying(after, attempt);
                }
                case FAILED -> {
                    log.debug("Delivery {} failed for good: {}", after.id(), attempt.errorMessage());
                    s.listener().deliveryFailed(after, attempt);
                    if (p.gone() && p.endpoint() != null) {
                        disable(p.endpoint(), attempt.errorMessage());
                    }
                }
                case DEAD -> {
                    log.warn("Delivery {} to endpoint {} is dead after {} attempts: {}", after.id(),
                            after.endpointId(), attempt.number(), attempt.errorMessage());
                    s.listener().deliveryDead(after, attempt);
                }
                default -> {
                }
            }
        } catch (RuntimeException e) {
            log.warn("A listener failed on delivery {}: {}", after.id(), e.toString());
        }
    }

    private void disable(Endpoint endpoint, String reason) {
        Optional<Endpoint> current = s.store().findEndpoint(endpoint.tenant(), endpoint.id());
        if (current.isEmpty() || !current.get().enabled()) {
            return;
        }
        Endpoint disabled = current.get().withEnabled(false, s.clock().instant());
        if (s.store().updateEndpoint(disabled)) {
            s.directory().invalidate(endpoint.tenant(), endpoint.id());
            log.warn("Endpoint {} disabled: {}", endpoint.id(), reason);
            s.listener().endpointDisabled(disabled, reason);
        }
    }

    // ---- stopping ----

    /**
     * Stops claiming, hands back the deliveries waiting for busy endpoints, waits up to the shutdown timeout
     * for in-flight requests, releases the rest in the store so they are due at once, and stops the
     * recorder. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (claimer == null || !claiming) {
            return;
        }
        claiming = false;
        claimer.interrupt();
        join(claimer, Duration.ofSeconds(5));
        // Waiting deliveries would only start new requests: hand them back (due now) like the rest.
        Instant now = s.clock().instant();
        for (EndpointGuards.Waiter w : guards.stopWaiting()) {
            submit(w.task(), w.receipt(), w.endpoint(), deferral(w.task().delivery(), now, "engine stopping", now), false);
        }
        long deadline = System.nanoTime() + s.shutdownTimeout().toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        if (!inFlight.isEmpty()) {
            List<String> left = List.copyOf(inFlight.keySet());
            log.info("Releasing {} deliveries still in flight at shutdown", left.size());
            try {
                s.store().release(left, s.instanceId(), s.clock().instant());
            } catch (RuntimeException e) {
                log.warn("Releasing deliveries failed; their leases will run out instead: {}", e.toString());
            }
        }
        recording = false;
        join(recorder, Duration.ofSeconds(5));
    }

    private static void join(Thread thread, Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
