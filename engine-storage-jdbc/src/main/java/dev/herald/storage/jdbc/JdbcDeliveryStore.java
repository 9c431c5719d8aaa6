package dev.herald.storage.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.Event;
import dev.herald.engine.model.Upload;
import dev.herald.engine.spi.DeliveryQuery;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.spi.DeliveryTask;
import dev.herald.engine.spi.Lease;
import dev.herald.engine.spi.Outcome;
import dev.herald.engine.spi.Page;
import dev.herald.engine.spi.StoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A {@link DeliveryStore} on plain JDBC, for H2 (the embedded default, file or memory) and PostgreSQL
 * (several Herald instances on one database). Build one with {@link #builder()} around a host's
 * {@link DataSource}, or let {@link #h2File(Path)} make a pooled H2 file database.
 *
 * <p><b>Design.</b> One code path and one schema serve both databases; what differs (the claim, the
 * migration lock) sits in a package-private {@code Dialect}.
 * <ul>
 *   <li><b>Tables.</b> A delivery is a row of {@code herald_deliveries}, written once at publish and
 *   carrying the listing indexes, and a row of {@code herald_delivery_state} (status, due time, lease,
 *   latest attempt), keyed by the number {@code seq} the database gives the delivery at publish. Claims
 *   and outcomes write the state row only, which has one small index (the claim index): H2 rewrites
 *   every index of a table on each update, so this keeps the listing indexes out of the hot path. Dead
 *   letters (FAILED, DEAD) are listed from {@code herald_dead_letters}, written only when a delivery
 *   becomes one and removed when it is replayed or purged.</li>
 *   <li><b>Transactions.</b> Every write is one transaction: publish writes the event and all its
 *   deliveries or nothing; {@link #record} applies a whole batch of outcomes and their attempts in one
 *   commit, so a worker pays one commit per batch, not per delivery. Publishes that arrive while
 *   another is being written share the next transaction (group commit, see {@code PublishGroups}): the
 *   first caller writes what queued up, up to 256 events, and every caller returns once its publish is
 *   committed; a lone publish waits for nobody. If a shared transaction fails, nothing of it is kept and
 *   each of its publishes runs again alone, so a bad one fails as it would alone and the others are
 *   stored. {@link #updateUploadAndPublish} always runs alone.</li>
 *   <li><b>Claims and leases.</b> A column {@code claimable_at} holds {@code next_attempt_at} until
 *   a delivery is final (then null), and a claim reads it in due order, skipping rows under a live
 *   lease; the claim itself changes only status and lease, no indexed column. PostgreSQL claims in
 *   one statement with {@code FOR UPDATE SKIP LOCKED}; H2 reads candidates and takes each with a
 *   conditional update. An outcome is applied only {@code WHERE status = 'IN_FLIGHT' AND lease_owner = ?},
 *   so a worker whose lease ran out and was claimed by another cannot overwrite the newer state.</li>
 *   <li><b>Lock order.</b> Every statement batch that changes several state rows runs in {@code seq}
 *   order, so concurrent batches never wait on each other in a cycle.</li>
 *   <li><b>Time.</b> Instants are stored as {@code BIGINT} microseconds since the epoch (UTC), not
 *   {@code TIMESTAMP WITH TIME ZONE}: the same type and the same code on both databases, no conversion
 *   through the JVM's default time zone (drivers differ there, and {@code java.sql.Timestamp} uses it),
 *   and plain integer comparisons in the claim index. Sub-microsecond precision is dropped.</li>
 *   <li><b>Sizes.</b> Values longer than their column are refused with a {@link StoreException} naming
 *   the field, before anything is written; nothing is truncated. Response bodies are stored as given
 *   (the engine keeps their first 1 KiB).</li>
 *   <li><b>Errors.</b> Every {@link SQLException} becomes a {@link StoreException} whose message names
 *   the operation and the kind of failure, never a value, payload or secret.</li>
 *   <li><b>Retention.</b> {@link #purge} deletes final deliveries, their attempts and events left
 *   without deliveries, in batches; events stored with no delivery at all are deleted once they
 *   occurred before the cutoff.</li>
 * </ul>
 *
 * <p>Thread-safe: every call takes its own connection from the pool, except that concurrent publishes
 * share one (see Transactions above).
 */
public final class JdbcDeliveryStore implements DeliveryStore {
    /** Largest number of ids or outcomes handled in one call before it is split. */
    static final int MAX_BATCH = 10_000;

    private static final String FINAL_STATES = "('SUCCEEDED', 'FAILED', 'DEAD')";
    private static final String REPLAYABLE = "('FAILED', 'DEAD')";
    private static final String OPEN_UPLOAD = "('AWAITING_UPLOAD', 'VERIFYING')";

    private final Jdbc jdbc;
    private final Dialect dialect;
    private final AutoCloseable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final PublishGroups publishes = new PublishGroups(this::publishAlone, this::publishShared);

    private JdbcDeliveryStore(Jdbc jdbc, Dialect dialect, AutoCloseable onClose) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.onClose = onClose;
    }

    /** A builder; {@link Builder#dataSource(DataSource)} is the one required setting. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * How long H2 file mode may hold committed changes in memory before writing them: {@value} ms, so a
     * publish is on disk when it returns ("durable before acknowledged"). A host that accepts losing the
     * last moments of work on a crash may pass a delay to {@link #h2File(Path, Duration)} for several
     * times the write throughput.
     */
    public static final long DEFAULT_H2_WRITE_DELAY_MILLIS = 0;

    /**
     * A store on an H2 database in {@code directory} (file {@code herald.mv.db}, created if missing),
     * behind its own connection pool, with the schema brought up to date and
     * {@link #DEFAULT_H2_WRITE_DELAY_MILLIS the default write delay}. Closing the store closes the pool
     * and the database; nothing else does, not even the JVM's shutdown, so the owner closes it after the
     * engine.
     *
     * @throws NullPointerException when {@code directory} is null
     * @throws StoreException       when the database cannot be opened or migrated
     * @see #h2File(Path, Duration)
     */
    public static JdbcDeliveryStore h2File(Path directory) {
        return h2File(directory, Duration.ofMillis(DEFAULT_H2_WRITE_DELAY_MILLIS));
    }

    /**
     * A store on an H2 database in {@code directory}, as {@link #h2File(Path)}, writing committed changes
     * to the file at most {@code writeDelay} after the commit. H2 has no transaction log: what was
     * committed within the last {@code writeDelay} is lost if the process dies or ends without closing
     * the store (a close writes everything). {@link Duration#ZERO} writes at every commit, so nothing
     * acknowledged is lost on a process crash, at several times the cost per publish (see
     * {@code docs/benchmarks.md}); the operating system decides when either reaches the disk. For strict
     * durability across machines, use PostgreSQL.
     *
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when {@code writeDelay} is negative or over 60 seconds
     * @throws StoreException           when the database cannot be opened or migrated
     */
    public static JdbcDeliveryStore h2File(Path directory, Duration writeDelay) {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(writeDelay, "writeDelay");
        if (writeDelay.isNegative() || writeDelay.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("writeDelay must be within [0, 60s], was " + writeDelay);
        }
        // DB_CLOSE_ON_EXIT=FALSE: H2 would otherwise close the database in a shutdown hook of its own,
        // concurrently with the host's orderly stop, which then fails to record outcomes and to put
        // in-flight deliveries back. The owner closes the store, after the engine; a JVM that ends without
        // that is a crash, which the file survives as it survives a kill -9.
        String url = "jdbc:h2:file:" + directory.toAbsolutePath().resolve("herald")
                + ";WRITE_DELAY=" + writeDelay.toMillis() + ";DB_CLOSE_ON_EXIT=FALSE";
        // Written at every commit, H2 runs no background compaction and the file grows by every byte it
        // writes; with a write delay, H2's background writer compacts it (see H2FileCompactor).
        return pooledH2(url, "herald-h2-file", null, writeDelay.isZero() ? H2FileCompactor.DEFAULT_INTERVAL : null);
    }

    /**
     * A store on a private in-memory H2 database named {@code name}, for tests and demos: everything is
     * lost when the store is closed. Two stores with the same name in one JVM share the database.
     *
     * @throws NullPointerException     when {@code name} is null
     * @throws IllegalArgumentException when {@code name} is not 1 to 64 letters, digits, '-' or '_'
     */
    public static JdbcDeliveryStore h2Memory(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("name must be 1 to 64 letters, digits, '-' or '_'");
        }
        return pooledH2("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "herald-h2-mem", "SHUTDOWN", null);
    }

    /** {@code compactEvery}: how often to compact the file, or null for never (see H2FileCompactor). */
    private static JdbcDeliveryStore pooledH2(String url, String poolName, String onCloseSql, Duration compactEvery) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("sa");
        config.setPassword("");
        config.setPoolName(poolName);
        // H2 runs in this process; more connections than a few per core only add contention.
        config.setMaximumPoolSize(8);
        config.setConnectionTimeout(10_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("could not open the H2 database: " + e.getClass().getSimpleName(), e);
        }
        H2FileCompactor compactor = compactEvery == null ? null : H2FileCompactor.start(pool, compactEvery);
        AutoCloseable close = () -> {
            if (compactor != null) {
                compactor.close();
            }
            if (onCloseSql != null) {
                try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
                    st.execute(onCloseSql);
                } catch (SQLException ignored) {
                    // Already gone; nothing to drop.
                }
            }
            pool.close();
        };
        try {
            return builder().dataSource(pool).dialect(JdbcDialect.H2).onClose(close).build();
        } catch (RuntimeException e) {
            if (compactor != null) {
                compactor.close();
            }
            pool.close();
            throw e;
        }
    }

    /** The dialect in use. */
    public JdbcDialect dialect() {
        return dialect.name();
    }

    // ---- endpoints ------------------------------------------------------------------------------

    private static final String ENDPOINT_SETTINGS = "url = ?, secrets = ?, event_types = ?, enabled = ?, "
            + "description = ?, headers = ?, max_in_flight = ?, rate_limit = ?, ad_hoc = ?, created_at = ?, updated_at = ?";

    @Override
    public void insertEndpoint(Endpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        try {
            jdbc.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO herald_endpoints (url, secrets, "
                        + "event_types, enabled, description, headers, max_in_flight, rate_limit, ad_hoc, created_at, "
                        + "updated_at, id, tenant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    bindEndpoint(ps, endpoint);
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure("insert endpoint", e);
        }
    }

    @Override
    public boolean updateEndpoint(Endpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        try {
            return jdbc.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE herald_endpoints SET " + ENDPOINT_SETTINGS + " WHERE id = ? AND tenant = ?")) {
                    bindEndpoint(ps, endpoint);
                    return ps.executeUpdate() > 0;
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure("update endpoint", e);
        }
    }

    private static void bindEndpoint(PreparedStatement ps, Endpoint e) throws SQLException {
        int next = Rows.bindEndpointSettings(ps, e);
        ps.setString(next, Limits.check("endpoint id", e.id(), Limits.ID));
        ps.setString(next + 1, Limits.check("tenant", e.tenant(), Limits.TENANT));
    }

    @Override
    public boolean deleteEndpoint(String tenant, String endpointId) {
        try {
            return jdbc.transaction(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM herald_endpoints WHERE id = ? AND tenant = ?")) {
                    ps.setString(1, endpointId);
                    ps.setString(2, tenant);
                    return ps.executeUpdate() > 0;
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure("delete endpoint", e);
        }
    }

    @Override
    public Optional<Endpoint> findEndpoint(String tenant, String endpointId) {
        try {
            return jdbc.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.ENDPOINT_COLUMNS
                        + " FROM herald_endpoints WHERE id = ? AND tenant = ?")) {
                    ps.setString(1, endpointId);
                    ps.setString(2, tenant);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(Rows.endpoint(rs)) : Optional.<Endpoint>empty();
                    }
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure("find endpoint", e);
        }
    }

    @Override
    public Page<Endpoint> listEndpoints(String tenant, String before, int limit) {
        checkLimit(limit);
        String sql = "SELECT " + Rows.ENDPOINT_COLUMNS + " FROM herald_endpoints WHERE tenant = ? AND ad_hoc = FALSE"
                + (before == null ? "" : " AND id < ?") + " ORDER BY tenant, ad_hoc, id DESC LIMIT ?"; // see listDeliveries
        try {
            List<Endpoint> rows = jdbc.read(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    int i = 1;
                    ps.setString(i++, tenant);
                    if (before != null) {
                        ps.setString(i++, before);
                    }
                    ps.setInt(i, limit + 1);
                    List<Endpoint> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(Rows.endpoint(rs));
                        }
                    }
                    return out;
                }
            });
            return page(rows, limit, Endpoint::id);
        } catch (SQLException e) {
            throw Jdbc.failure("list endpoints", e);
        }
    }

    @Override
    public List<Endpoint> fanOutEndpoints(String tenant) {
        try {
            return jdbc.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.ENDPOINT_COLUMNS
                        + " FROM herald_endpoints WHERE tenant = ? AND ad_hoc = FALSE AND enabled = TRUE ORDER BY id")) {
                    ps.setString(1, tenant);
                    List<Endpoint> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(Rows.endpoint(rs));
                        }
                    }
                    return out;
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure("list fan-out endpoints", e);
        }
    }

    // ---- events and deliveries ------------------------------------------------------------------

    @Override
    public String publish(Event event, List<Delivery> deliveries) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(deliveries, "deliveries");
        return publishes.publish(event, deliveries);
    }

    /** One publish in a transaction of its own: an uncontended publish, or one whose shared transaction failed. */
    private String publishAlone(Event event, List<Delivery> deliveries) {
        try {
            return publishOnce(event, deliveries, null) ? event.id() : earlierEvent(event);
        } catch (SQLException e) {
            if (event.idempotencyKey() != null && Jdbc.isUniqueViolation(e)) {
                // Another publish with the same key committed between our check and our insert.
                String earlier = earlierEventOrNull(event);
                if (earlier != null) {
                    return earlier;
                }
            }
            throw Jdbc.failure("publish", e);
        } catch (ArithmeticException e) {
            throw Jdbc.failure("publish", e);
        }
    }

    /**
     * Stores the event and its deliveries, after {@code before} (an upload update) when given, in one
     * transaction. Returns false, storing nothing, when the event's idempotency key is taken or
     * {@code before} reports it could not apply.
     */
    private boolean publishOnce(Event event, List<Delivery> deliveries, Jdbc.Work<Boolean> before)
            throws SQLException {
        return jdbc.transaction(c -> {
            if (before != null && !before.run(c)) {
                c.rollback();
                return false;
            }
            if (event.idempotencyKey() != null && findByKey(c, event) != null) {
                c.rollback();
                return false;
            }
            insertEvents(c, List.of(new PublishGroups.Request(event, deliveries)));
            return true;
        });
    }

    /**
     * Stores several publishes in one transaction (see {@link PublishGroups}), each as
     * {@link #publishAlone} would: one whose idempotency key is taken, in the database or by an earlier
     * publish of the same group, stores nothing and gets the earlier event's id. Throws, storing nothing,
     * when any of them fails.
     */
    private List<String> publishShared(List<PublishGroups.Request> group) throws SQLException {
        return jdbc.transaction(c -> {
            List<String> ids = new ArrayList<>(group.size());
            List<PublishGroups.Request> stored = new ArrayList<>(group.size());
            Map<List<String>, String> keys = new HashMap<>();
            for (PublishGroups.Request r : group) {
                Event event = r.event();
                if (event.idempotencyKey() != null) {
                    List<String> key = List.of(event.tenant(), event.idempotencyKey());
                    String earlier = keys.get(key);
                    if (earlier == null) {
                        earlier = findByKey(c, event);
                    }
                    if (earlier != null) {
                        ids.add(earlier);
                        continue;
                    }
                    keys.put(key, event.id());
                }
                ids.add(event.id());
                stored.add(r);
            }
            insertEvents(c, stored);
            return ids;
        });
    }

    /** Inserts events and their deliveries, each table as one statement batch. */
    private static void insertEvents(Connection c, List<PublishGroups.Request> publishes) throws SQLException {
        if (publishes.isEmpty()) {
            return;
        }
        Jdbc.batch(c, "INSERT INTO herald_events (" + Rows.EVENT_COLUMNS + ") VALUES ("
                + Rows.placeholders(Rows.EVENT_COLUMNS) + ")", publishes, (ps, r) -> Rows.bindEvent(ps, r.event()));
        List<Delivery> deliveries = publishes.stream().flatMap(r -> r.deliveries().stream()).toList();
        Jdbc.batch(c, Rows.DELIVERY_INSERT, deliveries, Rows::bindDelivery);
        Jdbc.batch(c, Rows.STATE_INSERT, deliveries, Rows::bindState);
        listDeadLetters(c, deliveries.stream().filter(d -> d.status().isReplayable()).map(Delivery::id).toList());
    }

    /** Puts the deliveries {@code ids} (FAILED or DEAD) on the dead-letter list, as one statement batch. */
    private static void listDeadLetters(Connection c, List<String> ids) throws SQLException {
        Jdbc.batch(c, Rows.DEAD_LETTER_INSERT, ids, (ps, id) -> ps.setString(1, id));
    }

    /** Takes the state rows {@code seqs} off the dead-letter list, in the order given (lock order). */
    private static void unlistDeadLetters(Connection c, Collection<Long> seqs) throws SQLException {
        Jdbc.batch(c, Rows.DEAD_LETTER_DELETE, seqs, (ps, seq) -> ps.setLong(1, seq));
    }

    /** How the publishes of this store were grouped so far; for tests. */
    PublishGroups publishGroups() {
        return publishes;
    }

    private String earlierEvent(Event event) throws SQLException {
        String earlier = earlierEventOrNull(event);
        if (earlier == null) {
            throw new StoreException("publish failed: the idempotency key is taken but its event is gone");
        }
        return earlier;
    }

    private String earlierEventOrNull(Event event) {
        try {
            return jdbc.read(c -> findByKey(c, event));
        } catch (SQLException e) {
            throw Jdbc.failure("publish", e);
        }
    }

    private static String findByKey(Connection c, Event event) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM herald_events WHERE tenant = ? AND idempotency_key = ?")) {
            ps.setString(1, event.tenant());
            ps.setString(2, event.idempotencyKey());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Override
    public Optional<Event> findEvent(String tenant, String eventId) {
        try {
            return jdbc.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.EVENT_COLUMNS
                        + " FROM herald_events WHERE id = ? AND tenant = ?")) {
                    ps.setString(1, eventId);
                    ps.setString(2, tenant);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(Rows.event(rs, 1)) : Optional.<Event>empty();
                    }
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure("find event", e);
        }
    }

    @Override
    public List<DeliveryTask> claim(Collection<String> deliveryIds, Lease lease, Instant now) {
        Objects.requireNonNull(deliveryIds, "deliveryIds");
        checkLease(lease, now);
        if (deliveryIds.isEmpty()) {
            return List.of();
        }
        Set<String> ids = new LinkedHashSet<>(deliveryIds);
        try {
            if (ids.size() <= MAX_BATCH) {
                return dialect.claim(jdbc, ids, lease, Jdbc.micros(now));
            }
            List<DeliveryTask> all = new ArrayList<>();
            for (List<String> chunk : chunks(new ArrayList<>(ids))) {
                all.addAll(dialect.claim(jdbc, chunk, lease, Jdbc.micros(now)));
            }
            return all;
        } catch (SQLException e) {
            throw Jdbc.failure("claim", e);
        } catch (ArithmeticException e) {
            throw Jdbc.failure("claim", e);
        }
    }

    @Override
    public List<DeliveryTask> claimDue(Lease lease, Instant now, int limit) {
        checkLease(lease, now);
        if (limit < 1 || limit > MAX_BATCH) {
            throw new IllegalArgumentException("limit must be within [1, " + MAX_BATCH + "], was " + limit);
        }
        try {
            return dialect.claimDue(jdbc, lease, Jdbc.micros(now), limit);
        } catch (SQLException e) {
            throw Jdbc.failure("claim due", e);
        } catch (ArithmeticException e) {
            throw Jdbc.failure("claim due", e);
        }
    }

    private static void checkLease(Lease lease, Instant now) {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(now, "now");
        Limits.check("lease owner", lease.owner(), Limits.LEASE_OWNER);
    }

    /** The inline attempt's columns of {@code herald_delivery_state}, in {@link Rows#attemptValues} order. */
    private static final List<String> STATE_ATTEMPT = List.of("attempt_id", "attempt_number", "attempt_started_at",
            "attempt_duration_micros", "attempt_response_status", "attempt_response_body", "attempt_error_kind",
            "attempt_error_message");

    /**
     * One statement for outcomes with and without an attempt, so that a batch keeps its id order (lock
     * order): each inline attempt column takes the new value only when the first parameter of its pair is
     * true. Outcomes that make a delivery FAILED or DEAD also list it in {@code herald_dead_letters}.
     */
    private static final String RECORD = "UPDATE herald_delivery_state SET status = ?, attempts = ?, "
            + "next_attempt_at = ?, last_error = ?, updated_at = ?, claimable_at = ?, lease_owner = NULL, "
            + "lease_until = NULL, "
            + String.join(", ", STATE_ATTEMPT.stream().map(col -> col + " = CASE WHEN ? THEN ? ELSE " + col + " END").toList())
            + " WHERE seq = ? AND status = 'IN_FLIGHT' AND lease_owner = ?";

    /** Moves a delivery's inline attempt to the log, under the same condition as {@link #RECORD}. */
    private static final String MOVE_ATTEMPT = "INSERT INTO herald_attempts (" + Rows.ATTEMPT_COLUMNS + ") SELECT "
            + Rows.STATE_ATTEMPT_COLUMNS + " FROM herald_delivery_state WHERE seq = ? AND attempt_id = ? "
            + "AND status = 'IN_FLIGHT' AND lease_owner = ?";

    /** What {@link #record} needs to know of a delivery before writing: its state row, and the attempt it holds. */
    private record Held(long seq, String attemptId) {
    }

    /**
     * {@inheritDoc}
     *
     * <p>The latest attempt of a delivery is kept in its state row; recording another attempt first moves
     * the one held there to {@code herald_attempts}. A delivery that succeeds at its first attempt thus
     * costs one read and one row update, no insert.
     */
    @Override
    public Set<String> record(List<Outcome> outcomes) {
        Objects.requireNonNull(outcomes, "outcomes");
        if (outcomes.isEmpty()) {
            return Set.of();
        }
        for (Outcome o : outcomes) {
            Limits.check("last error", o.lastError(), Limits.ERROR);
            if (o.attempt() != null) {
                Rows.attemptValues(o.attempt()); // refuses oversized values before anything is written
            }
        }
        try {
            return jdbc.transaction(c -> {
                Map<String, Held> held = held(c, outcomes);
                // Outcomes of unknown deliveries apply to nothing; the rest go in state row order (lock order).
                List<Outcome> sorted = new ArrayList<>();
                for (Outcome o : outcomes) {
                    if (held.containsKey(o.deliveryId())) {
                        sorted.add(o);
                    }
                }
                sorted.sort(Comparator.comparingLong(o -> held.get(o.deliveryId()).seq()));
                // The attempt a delivery holds moves to the log before a new one takes its place; once per
                // delivery, should an outcome be given twice.
                Map<Integer, String> moves = new TreeMap<>();
                Set<Long> moving = new HashSet<>();
                for (int i = 0; i < sorted.size(); i++) {
                    Held h = held.get(sorted.get(i).deliveryId());
                    if (sorted.get(i).attempt() != null && h.attemptId() != null && moving.add(h.seq())) {
                        moves.put(i, h.attemptId());
                    }
                }
                Map<Integer, String> moved = new TreeMap<>();
                if (!moves.isEmpty()) {
                    List<Integer> order = new ArrayList<>(moves.keySet());
                    int[] counts = Jdbc.batch(c, MOVE_ATTEMPT, order, (ps, i) -> {
                        Outcome o = sorted.get(i);
                        ps.setLong(1, held.get(o.deliveryId()).seq());
                        ps.setString(2, moves.get(i));
                        ps.setString(3, o.leaseOwner());
                    });
                    for (int k = 0; k < order.size(); k++) {
                        if (counts[k] > 0) {
                            moved.put(order.get(k), moves.get(order.get(k)));
                        }
                    }
                }
                int[] counts = Jdbc.batch(c, RECORD, sorted,
                        (ps, o) -> bindRecord(ps, o, held.get(o.deliveryId()).seq()));
                Set<String> applied = new TreeSet<>();
                List<String> strayMoves = new ArrayList<>();
                List<String> deadLetters = new ArrayList<>();
                for (int i = 0; i < sorted.size(); i++) {
                    if (counts[i] > 0) {
                        applied.add(sorted.get(i).deliveryId());
                        if (sorted.get(i).status().isReplayable()) {
                            deadLetters.add(sorted.get(i).deliveryId()); // in state row order (lock order)
                        }
                    } else if (moved.containsKey(i)) {
                        strayMoves.add(moved.get(i));
                    }
                }
                listDeadLetters(c, deadLetters);
                if (!strayMoves.isEmpty()) {
                    // The lease changed hands between the move and the update: the attempt stays where it was.
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM herald_attempts WHERE id = ANY(?)")) {
                        ps.setArray(1, Dialect.varchars(c, strayMoves));
                        ps.executeUpdate();
                    }
                }
                return applied;
            });
        } catch (SQLException e) {
            throw Jdbc.failure("record outcomes", e);
        } catch (ArithmeticException e) {
            throw Jdbc.failure("record outcomes", e);
        }
    }

    /** One read for a batch of outcomes: each known delivery's state row and the attempt it holds. */
    private static Map<String, Held> held(Connection c, List<Outcome> outcomes) throws SQLException {
        Set<String> ids = new TreeSet<>();
        outcomes.forEach(o -> ids.add(o.deliveryId()));
        Map<String, Held> out = new HashMap<>(ids.size() * 2);
        try (PreparedStatement ps = c.prepareStatement("SELECT s.id, s.seq, s.attempt_id FROM " + Rows.DELIVERY_TABLES
                + " WHERE d.id = ANY(?)")) {
            ps.setArray(1, Dialect.varchars(c, ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Held(rs.getLong(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    private static void bindRecord(PreparedStatement ps, Outcome o, long seq) throws SQLException {
        long next = Jdbc.micros(o.nextAttemptAt());
        ps.setString(1, o.status().name());
        ps.setInt(2, o.attempts());
        ps.setLong(3, next);
        ps.setString(4, o.lastError());
        ps.setLong(5, Jdbc.micros(o.at()));
        Rows.setMicros(ps, 6, o.status().isFinal() ? null : next);
        Object[] attempt = o.attempt() == null ? null : Rows.attemptValues(o.attempt());
        int i = 7;
        for (int k = 0; k < STATE_ATTEMPT.size(); k++) {
            ps.setBoolean(i++, attempt != null);
            Rows.setValue(ps, i++, attempt == null ? null : attempt[k], Rows.ATTEMPT_VALUE_TYPES[k]);
        }
        ps.setLong(i++, seq);
        ps.setString(i, o.leaseOwner());
    }

    @Override
    public void release(Collection<String> deliveryIds, String leaseOwner, Instant now) {
        Objects.requireNonNull(deliveryIds, "deliveryIds");
        Objects.requireNonNull(leaseOwner, "leaseOwner");
        Objects.requireNonNull(now, "now");
        if (deliveryIds.isEmpty()) {
            return;
        }
        long at = Jdbc.micros(now);
        try {
            jdbc.transaction(c -> {
                Set<Long> seqs = Dialect.seqs(c, new TreeSet<>(deliveryIds)).keySet();
                if (seqs.isEmpty()) {
                    return null;
                }
                Jdbc.batch(c, "UPDATE herald_delivery_state SET status = 'SCHEDULED', "
                        + "next_attempt_at = ?, claimable_at = ?, updated_at = ?, lease_owner = NULL, lease_until = NULL "
                        + "WHERE seq = ? AND status = 'IN_FLIGHT' AND lease_owner = ?", seqs, (ps, seq) -> {
                            ps.setLong(1, at);
                            ps.setLong(2, at);
                            ps.setLong(3, at);
                            ps.setLong(4, seq);
                            ps.setString(5, leaseOwner);
                        });
                return null;
            });
        } catch (SQLException e) {
            throw Jdbc.failure("release", e);
        }
    }

    @Override
    public Optional<Delivery> findDelivery(String tenant, String deliveryId) {
        try {
            return jdbc.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.DELIVERY_COLUMNS
                        + " FROM " + Rows.DELIVERY_TABLES + " WHERE d.id = ? AND d.tenant = ?")) {
                    ps.setString(1, deliveryId);
                    ps.setString(2, tenant);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(Rows.delivery(rs, 1)) : Optional.<Delivery>empty();
                    }
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure("find delivery", e);
        }
    }

    @Override
    public Page<Delivery> listDeliveries(DeliveryQuery query) {
        Objects.requireNonNull(query, "query");
        boolean deadLetters = query.status() != null && query.status().isReplayable();
        // Dead letters are listed from their own table's index, everything else from the delivery table's;
        // the table named first is the one H2 reads in index order (it keeps that join order here).
        String from = deadLetters ? "herald_dead_letters l JOIN herald_delivery_state s ON s.seq = l.seq"
                + " JOIN herald_deliveries d ON d.id = l.id" : Rows.DELIVERY_TABLES;
        StringBuilder sql = new StringBuilder("SELECT ").append(Rows.DELIVERY_COLUMNS)
                .append(" FROM ").append(from).append(" WHERE d.tenant = ?");
        List<String> args = new ArrayList<>();
        args.add(query.tenant());
        if (query.endpointId() != null) {
            sql.append(" AND d.endpoint_id = ?");
            args.add(query.endpointId());
        }
        if (query.eventId() != null) {
            sql.append(" AND d.event_id = ?");
            args.add(query.eventId());
        }
        if (deadLetters) {
            sql.append(" AND l.tenant = ?");
            args.add(query.tenant());
        }
        if (query.status() != null) {
            sql.append(" AND s.status = ?");
            args.add(query.status().name());
        }
        if (query.before() != null) {
            sql.append(deadLetters ? " AND l.id < ?" : " AND d.id < ?");
            args.add(query.before());
        }
        // Equal columns repeated in ORDER BY let H2 read the matching index in order and stop at the limit
        // (it only matches an ORDER BY that starts with the index's columns); PostgreSQL needs no hint.
        String order = query.eventId() != null ? "d.event_id, d.id DESC"
                : query.endpointId() != null ? "d.endpoint_id, d.id DESC"
                : deadLetters ? "l.tenant, l.id DESC"
                : "d.tenant, d.id DESC";
        sql.append(" ORDER BY ").append(order).append(" LIMIT ?");
        try {
            List<Delivery> rows = jdbc.read(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                    for (int i = 0; i < args.size(); i++) {
                        ps.setString(i + 1, args.get(i));
                    }
                    ps.setInt(args.size() + 1, query.limit() + 1);
                    List<Delivery> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(Rows.delivery(rs, 1));
                        }
                    }
                    return out;
                }
            });
            return page(rows, query.limit(), Delivery::id);
        } catch (SQLException e) {
            throw Jdbc.failure("list deliveries", e);
        }
    }

    @Override
    public List<Attempt> attempts(String tenant, String deliveryId) {
        try {
            return jdbc.read(c -> {
                // The log, and the latest attempt that the state row holds until a later one moves it there.
                try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.qualified("a", Rows.ATTEMPT_COLUMNS)
                        + " FROM herald_attempts a JOIN herald_deliveries d ON d.id = a.delivery_id"
                        + " WHERE a.delivery_id = ? AND d.tenant = ?"
                        + " UNION ALL SELECT " + Rows.qualified("s", Rows.STATE_ATTEMPT_COLUMNS) + " FROM "
                        + Rows.DELIVERY_TABLES + " WHERE d.id = ? AND d.tenant = ? AND s.attempt_id IS NOT NULL"
                        + " ORDER BY 3, 4, 1")) {
                    ps.setString(1, deliveryId);
                    ps.setString(2, tenant);
                    ps.setString(3, deliveryId);
                    ps.setString(4, tenant);
                    List<Attempt> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(Rows.attempt(rs));
                        }
                    }
                    return out;
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure("list attempts", e);
        }
    }

    @Override
    public List<String> replay(String tenant, String endpointId, String deliveryId, Instant now) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(now, "now");
        if (endpointId == null && deliveryId == null) {
            throw new IllegalArgumentException("replay needs an endpoint id or a delivery id");
        }
        long at = Jdbc.micros(now);
        try {
            return jdbc.transaction(c -> {
                // The tenant and the endpoint never change, so checking them here is enough.
                SortedMap<Long, String> candidates = new TreeMap<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT s.seq, d.id FROM " + Rows.DELIVERY_TABLES + " WHERE "
                        + (deliveryId != null ? "d.id = ?" : "d.endpoint_id = ?") + " AND d.tenant = ?"
                        + (deliveryId != null && endpointId != null ? " AND d.endpoint_id = ?" : "")
                        + " AND s.status IN " + REPLAYABLE)) {
                    ps.setString(1, deliveryId != null ? deliveryId : endpointId);
                    ps.setString(2, tenant);
                    if (deliveryId != null && endpointId != null) {
                        ps.setString(3, endpointId);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            candidates.put(rs.getLong(1), rs.getString(2));
                        }
                    }
                }
                if (candidates.isEmpty()) {
                    return List.<String>of();
                }
                int[] counts = Jdbc.batch(c, "UPDATE herald_delivery_state SET status = 'SCHEDULED', "
                        + "next_attempt_at = ?, claimable_at = ?, updated_at = ? "
                        + "WHERE seq = ? AND status IN " + REPLAYABLE, candidates.keySet(), (ps, seq) -> {
                            ps.setLong(1, at);
                            ps.setLong(2, at);
                            ps.setLong(3, at);
                            ps.setLong(4, seq);
                        });
                List<String> replayed = new ArrayList<>();
                List<Long> unlisted = new ArrayList<>();
                int i = 0;
                for (Map.Entry<Long, String> candidate : candidates.entrySet()) {
                    if (counts[i++] > 0) {
                        replayed.add(candidate.getValue());
                        unlisted.add(candidate.getKey());
                    }
                }
                unlistDeadLetters(c, unlisted);
                replayed.sort(Comparator.naturalOrder());
                return replayed;
            });
        } catch (SQLException e) {
            throw Jdbc.failure("replay", e);
        }
    }

    @Override
    public Map<DeliveryStatus, Long> countByStatus() {
        try {
            return jdbc.read(c -> {
                Map<DeliveryStatus, Long> counts = new EnumMap<>(DeliveryStatus.class);
                for (DeliveryStatus s : DeliveryStatus.values()) {
                    counts.put(s, 0L);
                }
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT status, COUNT(*) FROM herald_delivery_state GROUP BY status")) {
                    while (rs.next()) {
                        counts.put(DeliveryStatus.valueOf(rs.getString(1)), rs.getLong(2));
                    }
                }
                return counts;
            });
        } catch (SQLException e) {
            throw Jdbc.failure("count deliveries", e);
        }
    }

    @Override
    public Optional<Instant> oldestDue() {
        try {
            return jdbc.read(c -> {
                // Walks the claim index from its start; only IN_FLIGHT rows are skipped on the way.
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT claimable_at FROM herald_delivery_state WHERE claimable_at >= "
                             + Dialect.FROM_START + " AND status = 'SCHEDULED' ORDER BY claimable_at LIMIT 1")) {
                    return rs.next() ? Optional.of(Jdbc.instant(rs.getLong(1))) : Optional.<Instant>empty();
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure("find oldest due", e);
        }
    }

    @Override
    public int purge(Instant before, int limit) {
        Objects.requireNonNull(before, "before");
        if (limit < 1 || limit > MAX_BATCH) {
            throw new IllegalArgumentException("limit must be within [1, " + MAX_BATCH + "], was " + limit);
        }
        long cutoff = Jdbc.micros(before);
        try {
            return jdbc.transaction(c -> {
                Map<String, String> eventOf = new HashMap<>();
                SortedMap<Long, String> idOf = new TreeMap<>();
                // Final deliveries are the NULL entries of the claim index, in about the order they were
                // written; reading them needs no index of its own, which every outcome would have to update.
                try (PreparedStatement ps = c.prepareStatement("SELECT s.seq, s.id, d.event_id FROM herald_delivery_state s "
                        + "JOIN herald_deliveries d ON d.id = s.id WHERE s.claimable_at IS NULL AND s.updated_at < ? LIMIT ?")) {
                    ps.setLong(1, cutoff);
                    ps.setInt(2, limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            idOf.put(rs.getLong(1), rs.getString(2));
                            eventOf.put(rs.getString(2), rs.getString(3));
                        }
                    }
                }
                List<String> deleted = new ArrayList<>();
                List<Long> deletedSeqs = new ArrayList<>();
                if (!idOf.isEmpty()) {
                    // Repeats the condition: a replay may have made one of them live again meanwhile.
                    int[] counts = Jdbc.batch(c, "DELETE FROM herald_delivery_state WHERE seq = ? AND claimable_at "
                            + "IS NULL AND updated_at < ? AND status IN " + FINAL_STATES, idOf.keySet(), (ps, seq) -> {
                                ps.setLong(1, seq);
                                ps.setLong(2, cutoff);
                            });
                    int i = 0;
                    for (Map.Entry<Long, String> row : idOf.entrySet()) {
                        if (counts[i++] > 0) {
                            deleted.add(row.getValue());
                            deletedSeqs.add(row.getKey());
                        }
                    }
                    // Only FAILED and DEAD ones are listed; a delete of any other finds nothing.
                    unlistDeadLetters(c, deletedSeqs);
                }
                if (!deleted.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM herald_deliveries WHERE id = ANY(?)")) {
                        ps.setArray(1, Dialect.varchars(c, deleted));
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "DELETE FROM herald_attempts WHERE delivery_id = ANY(?)")) {
                        ps.setArray(1, Dialect.varchars(c, deleted));
                        ps.executeUpdate();
                    }
                    Set<String> events = new TreeSet<>();
                    deleted.forEach(id -> events.add(eventOf.get(id)));
                    deleteEventsWithoutDeliveries(c, events);
                }
                // Events that never had a delivery (no endpoint matched) go once old enough.
                List<String> orphans = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT e.id FROM herald_events e WHERE "
                        + "e.occurred_at < ? AND NOT EXISTS (SELECT 1 FROM herald_deliveries d WHERE d.event_id = e.id) "
                        + "ORDER BY e.occurred_at LIMIT ?")) {
                    ps.setLong(1, cutoff);
                    ps.setInt(2, limit);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            orphans.add(rs.getString(1));
                        }
                    }
                }
                deleteEventsWithoutDeliveries(c, new TreeSet<>(orphans));
                return deleted.size();
            });
        } catch (SQLException e) {
            throw Jdbc.failure("purge", e);
        }
    }

    private static void deleteEventsWithoutDeliveries(Connection c, Set<String> eventIds) throws SQLException {
        Jdbc.batch(c, "DELETE FROM herald_events WHERE id = ? AND NOT EXISTS "
                + "(SELECT 1 FROM herald_deliveries d WHERE d.event_id = ?)", eventIds, (ps, id) -> {
                    ps.setString(1, id);
                    ps.setString(2, id);
                });
    }

    // ---- uploads --------------------------------------------------------------------------------

    private static final String UPLOAD_UPDATE = "UPDATE herald_uploads SET "
            + Rows.UPLOAD_COLUMNS.replace(", ", " = ?, ") + " = ? WHERE id = ? AND tenant = ? AND version = ?";

    @Override
    public void insertUploads(List<Upload> uploads) {
        Objects.requireNonNull(uploads, "uploads");
        if (uploads.isEmpty()) {
            return;
        }
        try {
            jdbc.transaction(c -> Jdbc.batch(c, "INSERT INTO herald_uploads (" + Rows.UPLOAD_COLUMNS + ") VALUES ("
                    + Rows.placeholders(Rows.UPLOAD_COLUMNS) + ")", uploads, Rows::bindUpload));
        } catch (SQLException e) {
            throw Jdbc.failure("insert uploads", e);
        } catch (ArithmeticException e) {
            throw Jdbc.failure("insert uploads", e);
        }
    }

    @Override
    public Optional<Upload> findUpload(String uploadId) {
        List<Upload> found = uploads("find upload", "id = ?", ps -> ps.setString(1, uploadId));
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @Override
    public List<Upload> uploadsOfBatch(String tenant, String batchId) {
        return uploads("list uploads of a batch", "tenant = ? AND batch_id = ? ORDER BY id", ps -> {
            ps.setString(1, tenant);
            ps.setString(2, batchId);
        });
    }

    @Override
    public List<Upload> uploadsOf(String bucket, String key) {
        return uploads("list uploads of an object",
                "bucket = ? AND object_key = ? AND status IN " + OPEN_UPLOAD + " ORDER BY id", ps -> {
                    ps.setString(1, bucket);
                    ps.setString(2, key);
                });
    }

    @Override
    public List<Upload> dueUploads(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        checkLimit(limit);
        long at = Jdbc.micros(now);
        return uploads("list due uploads",
                "next_check_at >= " + Dialect.FROM_START + " AND next_check_at <= ? AND status IN " + OPEN_UPLOAD + " ORDER BY next_check_at, id LIMIT ?", ps -> {
                    ps.setLong(1, at);
                    ps.setInt(2, limit);
                });
    }

    @Override
    public boolean updateUpload(Upload next) {
        Objects.requireNonNull(next, "next");
        try {
            return jdbc.transaction(c -> applyUpload(c, next));
        } catch (SQLException e) {
            throw Jdbc.failure("update upload", e);
        } catch (ArithmeticException e) {
            throw Jdbc.failure("update upload", e);
        }
    }

    @Override
    public boolean updateUploadAndPublish(Upload next, Event event, List<Delivery> deliveries) {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(deliveries, "deliveries");
        try {
            // The upload goes first: its row lock makes a second completion of the same upload wait, then
            // fail on the version, instead of racing on the idempotency key.
            return publishOnce(event, deliveries, c -> applyUpload(c, next));
        } catch (SQLException e) {
            if (event.idempotencyKey() != null && Jdbc.isUniqueViolation(e) && earlierEventOrNull(event) != null) {
                return false;
            }
            throw Jdbc.failure("update upload and publish", e);
        } catch (ArithmeticException e) {
            throw Jdbc.failure("update upload and publish", e);
        }
    }

    private static boolean applyUpload(Connection c, Upload next) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPLOAD_UPDATE)) {
            Rows.bindUpload(ps, next);
            ps.setString(25, next.id());
            ps.setString(26, next.tenant());
            ps.setLong(27, next.version() - 1);
            return ps.executeUpdate() > 0;
        }
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<Upload> uploads(String operation, String where, Binder binder) {
        try {
            return jdbc.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.UPLOAD_COLUMNS
                        + " FROM herald_uploads WHERE " + where)) {
                    binder.bind(ps);
                    List<Upload> out = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(Rows.upload(rs));
                        }
                    }
                    return out;
                }
            });
        } catch (SQLException e) {
            throw Jdbc.failure(operation, e);
        }
    }

    // ---- life cycle -----------------------------------------------------------------------------

    /** Closes the pool this store made, or the host's {@code DataSource} when asked to. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && onClose != null) {
            try {
                onClose.close();
            } catch (Exception e) {
                throw new StoreException("could not close the store's data source", e);
            }
        }
    }

    @Override
    public String toString() {
        return "JdbcDeliveryStore[" + dialect.name() + "]";
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be within [1, 1000], was " + limit);
        }
    }

    private static <T> Page<T> page(List<T> rows, int limit, java.util.function.Function<T, String> id) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(items, id.apply(items.get(limit - 1)));
    }

    private static List<List<String>> chunks(List<String> ids) {
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += MAX_BATCH) {
            out.add(ids.subList(i, Math.min(ids.size(), i + MAX_BATCH)));
        }
        return out;
    }

    /**
     * Configures a {@link JdbcDeliveryStore}. Not thread-safe; reusable: each {@link #build()} makes a
     * new store from the settings at that moment.
     *
     * <p>Defaults: the dialect is detected from the database; the schema is migrated at build;
     * {@link JdbcDeliveryStore#close()} leaves the host's {@code DataSource} open.
     */
    public static final class Builder {
        private DataSource dataSource;
        private JdbcDialect dialect;
        private boolean migrate = true;
        private boolean closeDataSource;
        private AutoCloseable onClose;

        private Builder() {
        }

        /**
         * The database, usually a connection pool. Required. The store takes a connection per call and
         * returns it at once; it runs its own transactions and restores auto-commit afterwards.
         *
         * @throws NullPointerException when {@code dataSource} is null
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * The database dialect. Default: detected from {@link DatabaseMetaData#getDatabaseProductName()}.
         *
         * @throws NullPointerException when {@code dialect} is null
         */
        public Builder dialect(JdbcDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * Whether {@link #build()} brings the schema up to date. Default true. Turn it off when the host
         * applies the scripts under {@code dev/herald/storage/jdbc/migrations/} itself.
         */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * Whether {@link JdbcDeliveryStore#close()} also closes the {@code DataSource} (when it is
         * {@link AutoCloseable}, as pools are). Default false: the host owns what it gave.
         */
        public Builder closeDataSource(boolean closeDataSource) {
            this.closeDataSource = closeDataSource;
            return this;
        }

        Builder onClose(AutoCloseable action) {
            this.onClose = action;
            return this;
        }

        /**
         * Detects the dialect when none was set, migrates when asked, and returns the store.
         *
         * @throws IllegalStateException when no data source was set, or the database is neither H2 nor
         *                               PostgreSQL
         * @throws StoreException        when the database cannot be reached or migrated
         */
        public JdbcDeliveryStore build() {
            if (dataSource == null) {
                throw new IllegalStateException("dataSource is required");
            }
            Jdbc jdbc = new Jdbc(dataSource);
            JdbcDialect name = dialect;
            try {
                if (name == null) {
                    String product = jdbc.read(c -> c.getMetaData().getDatabaseProductName());
                    name = JdbcDialect.fromProductName(product);
                    if (name == null) {
                        throw new IllegalStateException("unsupported database '" + product
                                + "'; JdbcDeliveryStore supports H2 and PostgreSQL");
                    }
                }
                Dialect d = Dialect.of(name);
                if (migrate) {
                    Migrations.run(dataSource, d);
                }
                AutoCloseable close = onClose;
                if (close == null && closeDataSource && dataSource instanceof AutoCloseable closeable) {
                    close = closeable;
                }
                return new JdbcDeliveryStore(jdbc, d, close);
            } catch (SQLException e) {
                throw Jdbc.failure("open store", e);
            }
        }
    }
}
