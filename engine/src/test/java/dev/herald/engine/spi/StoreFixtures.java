package dev.herald.engine.spi;

import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.EndpointSecret;
import dev.herald.engine.model.ErrorKind;
import dev.herald.engine.model.Event;
import dev.herald.engine.model.Ids;
import dev.herald.engine.model.Upload;
import dev.herald.engine.model.UploadStatus;
import dev.herald.engine.model.UploadTrigger;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test data for store contracts. Every instant is a whole millisecond, so a store that keeps
 * microseconds (every SQL database) returns it unchanged; ids are real {@link Ids} and sort in the
 * order they are made. Not thread-safe for the counter of sample values; make one per test.
 */
public final class StoreFixtures {
    /** The instant every fixture is built around. */
    public static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final Ids ids = new Ids(new TickingClock(T0), new Random(42));
    private int counter;

    /** A new id with the given prefix, greater than every id made before by this fixture. */
    public String id(String prefix) {
        return ids.next(prefix);
    }

    /** {@link #T0} plus some seconds. */
    public static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    /** An enabled fan-out endpoint with two secrets (one rotating out), a filter, headers and limits. */
    public Endpoint endpoint(String tenant) {
        int n = ++counter;
        return new Endpoint(id(Ids.ENDPOINT), tenant, URI.create("https://receiver.example/hooks/" + n),
                List.of(new EndpointSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", null),
                        new EndpointSecret("old_secret_value_" + n, T0.plus(Duration.ofHours(24)))),
                Set.of("upload.*", "document.completed"), true, "receiver n°" + n + " — ünïcode",
                Map.of("X-Team", "storage", "X-Env", "test"), 8, 50, false, T0, T0.plusMillis(n));
    }

    /** An ad-hoc endpoint, as an upload's own webhook is stored. */
    public Endpoint adHocEndpoint(String tenant) {
        Endpoint e = endpoint(tenant);
        return new Endpoint(e.id(), tenant, URI.create("https://client.example/upload-done"),
                List.of(new EndpointSecret("my_webhook_secret_123", null)), Set.of(), true, "", Map.of(), 0, 0, true,
                T0, T0);
    }

    /** A copy of {@code e} with {@code enabled} set. */
    public static Endpoint enabled(Endpoint e, boolean enabled) {
        return e.withEnabled(enabled, e.updatedAt());
    }

    /** An event of the tenant without idempotency key. */
    public Event event(String tenant) {
        return event(tenant, null);
    }

    /** An event of the tenant with the given idempotency key (or none when null). */
    public Event event(String tenant, String idempotencyKey) {
        int n = ++counter;
        return new Event(id(Ids.EVENT), tenant, "upload.completed", T0.minusMillis(n),
                "{\"n\":" + n + ",\"name\":\"résumé.pdf\",\"size\":1024}", "wh_subject_" + n, idempotencyKey);
    }

    /** A new SCHEDULED delivery of {@code event} to {@code endpointId}, due at {@code dueAt}. */
    public Delivery delivery(Event event, String endpointId, Instant dueAt) {
        return Delivery.scheduled(id(Ids.DELIVERY), event, endpointId, dueAt, T0);
    }

    /** A failed attempt with an HTTP status and a response body. */
    public Attempt failedAttempt(String deliveryId, int number, Instant startedAt) {
        return new Attempt(id(Ids.ATTEMPT), deliveryId, number, startedAt, Duration.ofMillis(120 + number), 503,
                "{\"error\":\"busy\"}", ErrorKind.HTTP_STATUS, "HTTP 503");
    }

    /** A succeeded attempt. */
    public Attempt succeededAttempt(String deliveryId, int number, Instant startedAt) {
        return new Attempt(id(Ids.ATTEMPT), deliveryId, number, startedAt, Duration.ofMillis(35), 200, "ok", null,
                null);
    }

    /** An outcome that schedules another try at {@code next}, with an attempt. */
    public Outcome retry(String deliveryId, String owner, int attemptsAfter, Instant at, Instant next) {
        return new Outcome(deliveryId, owner, failedAttempt(deliveryId, attemptsAfter, at), DeliveryStatus.SCHEDULED,
                attemptsAfter, next, "HTTP 503", at);
    }

    /** An outcome that ends the delivery in {@code status}, with an attempt. */
    public Outcome finish(String deliveryId, String owner, DeliveryStatus status, int attemptsAfter, Instant at) {
        Attempt attempt = status == DeliveryStatus.SUCCEEDED
                ? succeededAttempt(deliveryId, attemptsAfter, at)
                : failedAttempt(deliveryId, attemptsAfter, at);
        return new Outcome(deliveryId, owner, attempt, status, attemptsAfter, at,
                status == DeliveryStatus.SUCCEEDED ? null : "HTTP 503", at);
    }

    /** An upload watching {@code bucket/key}, awaiting the object, next checked at {@code nextCheckAt}. */
    public Upload upload(String tenant, String batchId, String bucket, String key, String endpointId,
                         Instant nextCheckAt) {
        return new Upload(id(Ids.UPLOAD), tenant, batchId, "s3", bucket, key, "résumé.pdf", "application/pdf",
                1_048_576L, Set.of(UploadTrigger.CLIENT_CONFIRM, UploadTrigger.AUTO_DETECT), endpointId,
                "{\"userId\":\"u-1\"}", UploadStatus.AWAITING_UPLOAD, T0.plus(Duration.ofMinutes(15)),
                T0.plus(Duration.ofHours(1)), nextCheckAt, 0, null, null, null, null, T0, T0, 0);
    }

    /** The next version of {@code u}: status and observation changed, {@code version} incremented. */
    public static Upload next(Upload u, UploadStatus status, Instant nextCheckAt, Instant now) {
        return new Upload(u.id(), u.tenant(), u.batchId(), u.provider(), u.bucket(), u.key(), u.filename(),
                u.contentType(), u.expectedSize(), u.triggers(), u.endpointId(), u.metadata(), status,
                u.urlExpiresAt(), u.expiresAt(), nextCheckAt, u.checks() + 1, 1_048_576L, "\"9b2cf535f27731c974343645a3985328\"",
                now.minusSeconds(2), status == UploadStatus.REJECTED ? "SIZE_MISMATCH" : null, u.createdAt(), now,
                u.version() + 1);
    }

    /** A clock that moves one millisecond each time it is read, so ids made one after another sort. */
    private static final class TickingClock extends Clock {
        private final AtomicLong millis;

        TickingClock(Instant start) {
            this.millis = new AtomicLong(start.toEpochMilli());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis.incrementAndGet();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }
    }
}
