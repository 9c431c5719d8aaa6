package dev.herald.storage.jdbc;

import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.ErrorKind;
import dev.herald.engine.model.Event;
import dev.herald.engine.model.Upload;
import dev.herald.engine.model.UploadStatus;
import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;

/**
 * Column lists, and the mapping between rows and model records. Each {@code *_COLUMNS} list is the
 * order in which the matching reader takes columns, starting at a given index, so one query can read a
 * delivery and its event side by side. Instants are epoch microseconds (see {@link Jdbc#micros}).
 */
final class Rows {
    static final String ENDPOINT_COLUMNS = "id, tenant, url, secrets, event_types, enabled, description, headers, "
            + "max_in_flight, rate_limit, ad_hoc, created_at, updated_at";
    static final String EVENT_COLUMNS = "id, tenant, event_type, occurred_at, data, subject, idempotency_key";
    static final int EVENT_COLUMN_COUNT = 7;
    /**
     * A delivery is a row of {@code herald_deliveries} (what never changes after publish) joined with its
     * row of {@code herald_delivery_state}; queries name them {@code d} and {@code s}, see {@link #DELIVERY_TABLES}.
     */
    static final String DELIVERY_COLUMNS = "d.id, d.tenant, d.event_id, d.event_type, d.endpoint_id, s.status, "
            + "s.attempts, s.next_attempt_at, s.last_error, d.created_at, s.updated_at";
    static final int DELIVERY_COLUMN_COUNT = 11;
    static final String DELIVERY_TABLES = "herald_deliveries d JOIN herald_delivery_state s ON s.seq = d.seq";
    static final String ATTEMPT_COLUMNS = "id, delivery_id, attempt_number, started_at, duration_micros, "
            + "response_status, response_body, error_kind, error_message";
    /** The latest attempt as the state row holds it, in {@link #ATTEMPT_COLUMNS} order. */
    static final String STATE_ATTEMPT_COLUMNS = "attempt_id, id, attempt_number, attempt_started_at, "
            + "attempt_duration_micros, attempt_response_status, attempt_response_body, attempt_error_kind, "
            + "attempt_error_message";
    static final String UPLOAD_COLUMNS = "id, tenant, batch_id, provider, bucket, object_key, filename, content_type, "
            + "expected_size, triggers, endpoint_id, metadata, status, url_expires_at, expires_at, next_check_at, "
            + "checks, observed_size, observed_etag, last_modified, failure_reason, created_at, updated_at, version";

    private Rows() {
    }

    /** {@code columns} with every name prefixed by {@code alias.}. */
    static String qualified(String alias, String columns) {
        return alias + "." + columns.replace(", ", ", " + alias + ".");
    }

    /** {@code ?, ?, …} for the number of names in {@code columns}. */
    static String placeholders(String columns) {
        int n = columns.split(",").length;
        return "?" + ", ?".repeat(n - 1);
    }

    // ---- endpoints ----

    static Endpoint endpoint(ResultSet rs) throws SQLException {
        return new Endpoint(rs.getString(1), rs.getString(2), URI.create(rs.getString(3)),
                Codec.secrets(rs.getString(4)), Codec.strings(rs.getString(5)), rs.getBoolean(6), rs.getString(7),
                Codec.headers(rs.getString(8)), rs.getInt(9), rs.getInt(10), rs.getBoolean(11),
                Jdbc.instant(rs.getLong(12)), Jdbc.instant(rs.getLong(13)));
    }

    /** Binds every endpoint column but the id and the tenant, from index 1; returns the next index. */
    static int bindEndpointSettings(PreparedStatement ps, Endpoint e) throws SQLException {
        ps.setString(1, Limits.check("endpoint url", e.url().toString(), Limits.URL));
        ps.setString(2, Limits.check("endpoint secrets", Codec.secrets(e.secrets()), Limits.SECRETS));
        ps.setString(3, Limits.check("endpoint event types", Codec.strings(e.eventTypes()), Limits.EVENT_TYPES));
        ps.setBoolean(4, e.enabled());
        ps.setString(5, Limits.check("endpoint description", e.description(), Limits.DESCRIPTION));
        ps.setString(6, Limits.check("endpoint headers", Codec.headers(e.headers()), Limits.HEADERS));
        ps.setInt(7, e.maxInFlight());
        ps.setInt(8, e.rateLimit());
        ps.setBoolean(9, e.adHoc());
        ps.setLong(10, Jdbc.micros(e.createdAt()));
        ps.setLong(11, Jdbc.micros(e.updatedAt()));
        return 12;
    }

    // ---- events ----

    static Event event(ResultSet rs, int first) throws SQLException {
        return new Event(rs.getString(first), rs.getString(first + 1), rs.getString(first + 2),
                Jdbc.instant(rs.getLong(first + 3)), rs.getString(first + 4), rs.getString(first + 5),
                rs.getString(first + 6));
    }

    static void bindEvent(PreparedStatement ps, Event e) throws SQLException {
        ps.setString(1, Limits.check("event id", e.id(), Limits.ID));
        ps.setString(2, Limits.check("tenant", e.tenant(), Limits.TENANT));
        ps.setString(3, Limits.check("event type", e.type(), Limits.EVENT_TYPE));
        ps.setLong(4, Jdbc.micros(e.occurredAt()));
        ps.setString(5, Limits.check("event data", e.data(), Limits.EVENT_DATA));
        ps.setString(6, Limits.check("event subject", e.subject(), Limits.SUBJECT));
        ps.setString(7, Limits.check("idempotency key", e.idempotencyKey(), Limits.IDEMPOTENCY_KEY));
    }

    // ---- deliveries ----

    static Delivery delivery(ResultSet rs, int first) throws SQLException {
        return new Delivery(rs.getString(first), rs.getString(first + 1), rs.getString(first + 2),
                rs.getString(first + 3), rs.getString(first + 4), DeliveryStatus.valueOf(rs.getString(first + 5)),
                rs.getInt(first + 6), Jdbc.instant(rs.getLong(first + 7)), rs.getString(first + 8),
                Jdbc.instant(rs.getLong(first + 9)), Jdbc.instant(rs.getLong(first + 10)));
    }

    /** Binds the unchanging part of a new delivery for {@link #DELIVERY_INSERT}. */
    static void bindDelivery(PreparedStatement ps, Delivery d) throws SQLException {
        ps.setString(1, Limits.check("delivery id", d.id(), Limits.ID));
        ps.setString(2, Limits.check("tenant", d.tenant(), Limits.TENANT));
        ps.setString(3, Limits.check("event id", d.eventId(), Limits.ID));
        ps.setString(4, Limits.check("event type", d.eventType(), Limits.EVENT_TYPE));
        ps.setString(5, Limits.check("endpoint id", d.endpointId(), Limits.ID));
        ps.setLong(6, Jdbc.micros(d.createdAt()));
    }

    static final String DELIVERY_INSERT = "INSERT INTO herald_deliveries (id, tenant, event_id, event_type, "
            + "endpoint_id, created_at) VALUES (?, ?, ?, ?, ?, ?)";

    /** Binds the state of a new delivery for {@link #STATE_INSERT}. */
    static void bindState(PreparedStatement ps, Delivery d) throws SQLException {
        ps.setString(1, d.status().name());
        ps.setInt(2, d.attempts());
        long next = Jdbc.micros(d.nextAttemptAt());
        ps.setLong(3, next);
        ps.setString(4, Limits.check("last error", d.lastError(), Limits.ERROR));
        ps.setLong(5, Jdbc.micros(d.updatedAt()));
        // A delivery stored IN_FLIGHT has no lease, so it is claimable at its due time like a SCHEDULED one.
        setMicros(ps, 6, d.status().isFinal() ? null : next);
        ps.setString(7, d.id());
    }

    /** The state of a delivery just inserted, under the number the database gave it. */
    static final String STATE_INSERT = "INSERT INTO herald_delivery_state (seq, id, status, attempts, next_attempt_at, "
            + "last_error, updated_at, claimable_at) SELECT d.seq, d.id, CAST(? AS VARCHAR(16)), "
            + "CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS VARCHAR(2048)), CAST(? AS BIGINT), CAST(? AS BIGINT) "
            + "FROM herald_deliveries d WHERE d.id = ?";

    /**
     * Lists the delivery with the id bound as a dead letter, when it is not listed yet. Written only when
     * a delivery is stored or becomes FAILED or DEAD, so claims and other outcomes never touch the
     * dead-letter index; the condition makes a repeat harmless.
     */
    static final String DEAD_LETTER_INSERT = "INSERT INTO herald_dead_letters (seq, id, tenant) SELECT d.seq, d.id, "
            + "d.tenant FROM herald_deliveries d WHERE d.id = ? "
            + "AND NOT EXISTS (SELECT 1 FROM herald_dead_letters l WHERE l.seq = d.seq)";

    /** Takes the delivery with the state row number bound off the dead-letter list (replay, purge). */
    static final String DEAD_LETTER_DELETE = "DELETE FROM herald_dead_letters WHERE seq = ?";

    // ---- attempts ----

    static Attempt attempt(ResultSet rs) throws SQLException {
        String kind = rs.getString(8);
        return new Attempt(rs.getString(1), rs.getString(2), rs.getInt(3), Jdbc.instant(rs.getLong(4)),
                Duration.ofNanos(Math.multiplyExact(rs.getLong(5), 1000L)), rs.getInt(6), rs.getString(7),
                kind == null ? null : ErrorKind.valueOf(kind), rs.getString(9));
    }

    static void bindAttempt(PreparedStatement ps, String deliveryId, Attempt a) throws SQLException {
        Object[] values = attemptValues(a);
        ps.setString(1, (String) values[0]);
        ps.setString(2, deliveryId);
        for (int i = 1; i < values.length; i++) {
            setValue(ps, i + 2, values[i], ATTEMPT_VALUE_TYPES[i]);
        }
    }

    /** An attempt's values but its delivery id, in {@link #ATTEMPT_COLUMNS} order; checked against the limits. */
    static Object[] attemptValues(Attempt a) {
        return new Object[] {Limits.check("attempt id", a.id(), Limits.ID), a.number(), Jdbc.micros(a.startedAt()),
                a.duration().toNanos() / 1000L, a.responseStatus(),
                Limits.check("response body", a.responseBody(), Limits.RESPONSE_BODY),
                a.errorKind() == null ? null : a.errorKind().name(),
                Limits.check("attempt error message", a.errorMessage(), Limits.ERROR)};
    }

    /** The SQL types of {@link #attemptValues}. */
    static final int[] ATTEMPT_VALUE_TYPES = {Types.VARCHAR, Types.INTEGER, Types.BIGINT, Types.BIGINT, Types.INTEGER,
            Types.VARCHAR, Types.VARCHAR, Types.VARCHAR};

    static void setValue(PreparedStatement ps, int index, Object value, int sqlType) throws SQLException {
        if (value == null) {
            ps.setNull(index, sqlType);
        } else {
            ps.setObject(index, value, sqlType);
        }
    }

    static final String ATTEMPT_INSERT = "INSERT INTO herald_attempts (" + ATTEMPT_COLUMNS + ") VALUES ("
            + placeholders(ATTEMPT_COLUMNS) + ")";

    // ---- uploads ----

    static Upload upload(ResultSet rs) throws SQLException {
        return new Upload(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), getLong(rs, 9), Codec.triggers(rs.getString(10)),
                rs.getString(11), rs.getString(12), UploadStatus.valueOf(rs.getString(13)),
                Jdbc.instant(rs.getLong(14)), Jdbc.instant(rs.getLong(15)), getInstant(rs, 16), rs.getInt(17),
                getLong(rs, 18), rs.getString(19), getInstant(rs, 20), rs.getString(21),
                Jdbc.instant(rs.getLong(22)), Jdbc.instant(rs.getLong(23)), rs.getLong(24));
    }

    /** Binds every upload column in {@link #UPLOAD_COLUMNS} order, from index 1. */
    static void bindUpload(PreparedStatement ps, Upload u) throws SQLException {
        ps.setString(1, Limits.check("upload id", u.id(), Limits.ID));
        ps.setString(2, Limits.check("tenant", u.tenant(), Limits.TENANT));
        ps.setString(3, Limits.check("batch id", u.batchId(), Limits.ID));
        ps.setString(4, Limits.check("provider", u.provider(), Limits.PROVIDER));
        ps.setString(5, Limits.check("bucket", u.bucket(), Limits.BUCKET));
        ps.setString(6, Limits.check("object key", u.key(), Limits.OBJECT_KEY));
        ps.setString(7, Limits.check("filename", u.filename(), Limits.FILENAME));
        ps.setString(8, Limits.check("content type", u.contentType(), Limits.CONTENT_TYPE));
        setLong(ps, 9, u.expectedSize());
        ps.setString(10, Codec.triggers(u.triggers()));
        ps.setString(11, Limits.check("endpoint id", u.endpointId(), Limits.ID));
        ps.setString(12, Limits.check("upload metadata", u.metadata(), Limits.METADATA));
        ps.setString(13, u.status().name());
        ps.setLong(14, Jdbc.micros(u.urlExpiresAt()));
        ps.setLong(15, Jdbc.micros(u.expiresAt()));
        setMicros(ps, 16, u.nextCheckAt() == null ? null : Jdbc.micros(u.nextCheckAt()));
        ps.setInt(17, u.checks());
        setLong(ps, 18, u.observedSize());
        ps.setString(19, Limits.check("observed etag", u.observedEtag(), Limits.ETAG));
        setMicros(ps, 20, u.lastModified() == null ? null : Jdbc.micros(u.lastModified()));
        ps.setString(21, Limits.check("failure reason", u.failureReason(), Limits.FAILURE_REASON));
        ps.setLong(22, Jdbc.micros(u.createdAt()));
        ps.setLong(23, Jdbc.micros(u.updatedAt()));
        ps.setLong(24, u.version());
    }

    // ---- nullable values ----

    static void setMicros(PreparedStatement ps, int index, Long micros) throws SQLException {
        setLong(ps, index, micros);
    }

    static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }

    static Long getLong(ResultSet rs, int index) throws SQLException {
        long value = rs.getLong(index);
        return rs.wasNull() ? null : value;
    }

    static Instant getInstant(ResultSet rs, int index) throws SQLException {
        Long micros = getLong(rs, index);
        return micros == null ? null : Jdbc.instant(micros);
    }
}
