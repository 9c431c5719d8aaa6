package dev.herald.demo.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.herald.demo.Api;
import dev.herald.demo.ApiTestBase;
import dev.herald.demo.fuzz.FuzzCase.Auth;
import dev.herald.demo.fuzz.FuzzCase.Expect;
import io.micronaut.context.annotation.Property;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bad-input drill of the {@code /v1} API: a fixed sweep, then seeded random cases, of malformed and
 * random JSON, wrong types, huge bodies, hostile unicode, other tenants' ids, and SSRF targets (literal
 * loopback, private, link-local and metadata addresses in every notation, names the stub resolver points
 * inside, redirects from the allowed receiver). It proves:
 * <ul>
 *   <li>no answer is a 5xx, and every refusal is a 4xx in the {@code {"error":{"code","message"}}} shape;</li>
 *   <li>a refused request leaves the store as it was: the acting tenant's endpoints, events, deliveries and
 *   uploads are counted before and after each one, and the other tenant's never change;</li>
 *   <li>no connection ever goes anywhere but the one test receiver: the transport runs on
 *   {@link ConnectRecorder}'s guarded event loop, which records every address connected to and refuses
 *   the rest before a packet leaves; redirects are never followed.</li>
 * </ul>
 * Bounded: a case count ({@code drill.fuzz.cases}, random cases after the sweep), a time budget for them
 * ({@code drill.fuzz.seconds}), a byte budget for huge bodies ({@code drill.fuzz.huge-mb}), and a seed
 * ({@code drill.fuzz.seed}). The defaults are the quick variant that runs in {@code mvn verify}.
 */
@MicronautTest(environments = "fuzz-drill", transactional = false)
@Property(name = "herald.store.jdbc.url", value = ApiFuzzDrillTest.STORE_URL)
// A dead letter is logged at WARN; the drill makes hundreds on purpose.
@Property(name = "logger.levels.dev.herald.engine.delivery.Dispatcher", value = "ERROR")
class ApiFuzzDrillTest extends ApiTestBase {
    /** Named, so the census can open it too; it lives while the store's pool holds connections, no longer. */
    static final String STORE_URL = "jdbc:h2:mem:herald-fuzz-drill";

    private static final int CASES = Integer.getInteger("drill.fuzz.cases", 150);
    private static final long SEED = Long.getLong("drill.fuzz.seed", 20261124L);
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("drill.fuzz.seconds", CASES > 1000 ? 1800 : 5));
    private static final long HUGE_BYTES = Long.getLong("drill.fuzz.huge-mb", CASES > 1000 ? 512 : 24) * 1024 * 1024;
    /** Cases per acting tenant: a fresh one from time to time keeps each tenant's fan-out small. */
    private static final int CASES_PER_TENANT = 250;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DrillReceiver receiver;

    @Inject
    StubResolver resolver;

    @Inject
    ConnectRecorder recorder;

    @Inject
    EmbeddedServer server;

    private final List<String> findings = new ArrayList<>();
    private final Map<String, Integer> statuses = new TreeMap<>();
    private final Map<String, Integer> families = new TreeMap<>();
    private StoreCensus census;
    private FuzzCases.Pools pools;
    private String victimTenant;
    private String actorTenant;
    private String actorKey;
    private RawClient raw;
    private StoreCensus.Count actorCount;
    private int unsendable;

    @AfterEach
    void closeCensus() {
        if (census != null) {
            census.close();
        }
    }

    @Test
    void badInputGetsA4xxLeavesNothingBehindAndNeverReachesABlockedAddress() {
        long started = System.nanoTime();
        census = new StoreCensus(STORE_URL);
        pools = new FuzzCases.Pools();
        StoreCensus.Count victimBefore = victim();
        raw = new RawClient(server.getPort());
        actorTenant = tenant;
        actorKey = apiKeys.issue(actorTenant, "fuzz drill");
        actorCount = census.of(actorTenant);
        FuzzCases cases = new FuzzCases(SEED, pools, receiver, resolver, HUGE_BYTES);

        List<FuzzCase> sweep = cases.sweep(CASES > 1000);
        for (FuzzCase c : sweep) {
            run(c, cases);
        }
        long randomStarted = System.nanoTime();
        int random = 0;
        while (random < CASES && System.nanoTime() - randomStarted < BUDGET.toNanos()) {
            if (random > 0 && random % CASES_PER_TENANT == 0) {
                newActor();
            }
            run(cases.next(), cases);
            random++;
        }
        long runNanos = System.nanoTime() - started;
        long sweepNanos = randomStarted - started;

        // Let the transport try what was accepted, bounded: deliveries held by an open circuit may wait longer.
        await().atMost(Duration.ofSeconds(CASES > 1000 ? 60 : 5)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT COUNT(*) FROM herald_delivery_state WHERE attempts = 0") == 0
                        || System.nanoTime() - started > runNanos + Duration.ofSeconds(CASES > 1000 ? 55 : 3).toNanos());

        List<InetSocketAddress> connects = recorder.connects();
        String summary = String.format("fuzz drill: seed=%d sweep=%d random=%d (asked %d) unsendable=%d resent=%d in %.1f s (sweep %.1f s);"
                        + " statuses=%s; families=%d; connects=%d (all to the receiver: %s) refused=%d; lookups=%d;"
                        + " attempts: %s (deliveries not tried yet, behind an open circuit or a disabled endpoint: %d); receiver hits=%d; findings=%d",
                SEED, sweep.size(), random, CASES, unsendable, raw.retries(), runNanos / 1e9, sweepNanos / 1e9, statuses, families.size(), connects.size(),
                connects.stream().allMatch(recorder.allowed()::equals), recorder.refused().size(), resolver.lookups().size(),
                attemptKinds(), count("SELECT COUNT(*) FROM herald_delivery_state WHERE attempts = 0"), receiver.hits().size(),
                findings.size());
        System.out.println(summary);
        findings.stream().limit(50).forEach(f -> System.out.println("  finding: " + f));

        assertThat(findings).as(summary).isEmpty();
        assertThat(recorder.refused()).as("connections refused by the guard: a blocked address got past the policy").isEmpty();
        assertThat(connects).as("the transport connected, and only to the receiver").isNotEmpty()
                .allMatch(recorder.allowed()::equals);
        assertThat(receiver.hits()).as("a redirect was followed").noneMatch(hit -> hit.path().endsWith("/followed"));
        assertThat(count("SELECT COUNT(*) FROM " + ATTEMPTS + " WHERE response_status BETWEEN 300 AND 399"
                + " AND (error_kind IS NULL OR error_kind <> 'REDIRECT')")).as("3xx not taken as a failed attempt").isZero();
        assertThat(count("SELECT COUNT(*) FROM " + ATTEMPTS + " WHERE response_status BETWEEN 300 AND 399"))
                .as("redirects were answered and recorded").isPositive();
        assertThat(count("SELECT COUNT(*) FROM " + ATTEMPTS + " WHERE error_kind = 'BLOCKED_ADDRESS'"))
                .as("names resolving to blocked addresses were tried and refused").isPositive();
        assertThat(resolver.lookups()).as("the stub resolver answered every lookup").isNotEmpty();
        assertThat(census.orphans()).isEqualTo("deliveries=0, attempts=0");
        assertThat(census.of(victimTenant)).as("the other tenant's records").isEqualTo(victimBefore);
    }

    /** The other tenant: an endpoint, events with deliveries, an upload, all aimed at by the foreign cases. */
    private StoreCensus.Count victim() {
        victimTenant = "victim-" + UUID.randomUUID().toString().substring(0, 8);
        Api victim = api.as(apiKeys.issue(victimTenant, "fuzz drill"));
        Api.Response endpoint = victim.post("/v1/endpoints", "{\"url\":\"" + receiver.url("/hook/victim") + "\"}");
        assertThat(endpoint.status()).as(endpoint.body()).isEqualTo(201);
        pools.foreignEndpoints.add(endpoint.text("id"));
        for (int i = 0; i < 2; i++) {
            String key = "victim-key-" + i;
            Api.Response published = victim.post("/v1/events",
                    "{\"type\":\"document.completed\",\"data\":{\"i\":" + i + "},\"idempotencyKey\":\"" + key + "\"}");
            assertThat(published.status()).as(published.body()).isEqualTo(202);
            pools.foreignEvents.add(published.text("eventId"));
            published.json().path("deliveryIds").forEach(id -> pools.foreignDeliveries.add(id.asText()));
            pools.foreignIdempotencyKeys.add(key);
        }
        Api.Response upload = victim.post("/v1/uploads/signed-url", "{\"filename\":\"v.txt\",\"contentType\":\"text/plain\","
                + "\"webhook\":{\"url\":\"" + receiver.url("/hook/victim-upload") + "\"}}");
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        pools.foreignTokens.add(upload.text("webhookToken"));
        await().atMost(WAIT).until(() -> count("SELECT COUNT(*) FROM herald_deliveries d JOIN herald_delivery_state s ON s.seq = d.seq"
                + " WHERE d.tenant = '" + victimTenant + "' AND s.status <> 'SUCCEEDED'") == 0);
        return census.of(victimTenant);
    }

    private void newActor() {
        actorTenant = "fuzz-" + UUID.randomUUID().toString().substring(0, 8);
        actorKey = apiKeys.issue(actorTenant, "fuzz drill");
        pools.clearOwn();
        actorCount = census.of(actorTenant);
    }

    private void run(FuzzCase c, FuzzCases cases) {
        execute(c, cases);
        // Follow-ups (a test event to a fresh endpoint) run at once, so the sweep's endpoints are tried too.
        for (FuzzCase next = cases.followUp(); next != null; next = cases.followUp()) {
            execute(next, cases);
        }
    }

    private void execute(FuzzCase c, FuzzCases cases) {
        families.merge(c.family().replaceAll("[ @].*", ""), 1, Integer::sum);
        String key = switch (c.auth()) {
            case OWN -> actorKey;
            case NONE -> null;
            case WRONG -> "hk_not_a_key_" + UUID.randomUUID();
        };
        Api.Response r;
        try {
            r = raw.send(c, key);
        } catch (IllegalArgumentException e) {
            // The client refuses to write it (a path that is not a URI, a header it reserves): nothing was sent.
            unsendable++;
            return;
        } catch (IOException | InterruptedException e) {
            finding(c, "no answer: " + e);
            actorCount = census.of(actorTenant);
            return;
        }
        int status = r.status();
        statuses.merge(status / 100 + "xx", 1, Integer::sum);
        StoreCensus.Count after = census.of(actorTenant);
        JsonNode json = parse(r.body());
        if (status >= 500) {
            finding(c, "answered " + status + " " + excerpt(r.body()));
        }
        if (status >= 400 && status < 500) {
            if (!c.method().equals("HEAD") && !isErrorShape(r, json)) {
                finding(c, "answered " + status + " without the error shape: " + excerpt(r.body()));
            }
            if (!after.equals(actorCount)) {
                finding(c, "refused with " + status + " but the store changed: " + actorCount + " -> " + after);
            }
            if (!c.codes().isEmpty() && json != null && !c.codes().contains(json.path("error").path("code").asText())) {
                finding(c, "refused with code " + json.path("error").path("code").asText() + ", expected one of " + c.codes());
            }
        }
        switch (c.expect()) {
            case REJECT -> {
                if (status < 400) {
                    finding(c, "bad input accepted with " + status + " " + excerpt(r.body()));
                }
            }
            case NOT_FOUND -> {
                if (status != 404) {
                    finding(c, "another tenant's id answered " + status + ", not 404: " + excerpt(r.body()));
                }
            }
            case UNAUTHORIZED -> {
                // A request too large to read (a 5,000-character query) is refused before the key is looked at.
                if (status != 401 && status != 413 && status != 414 && status != 431) {
                    finding(c, "without a valid key answered " + status + ", not 401");
                }
            }
            case NO_FOREIGN, ANY -> {
            }
        }
        String request = c.path() + (c.body() == null ? "" : new String(c.body(), StandardCharsets.UTF_8));
        for (String id : pools.foreignIds()) {
            if (r.body().contains(id) && !request.contains(id)) {
                finding(c, "the answer shows another tenant's id " + id);
            }
        }
        if (status >= 200 && status < 300 && c.auth() == Auth.OWN) {
            if (c.expect() == Expect.NO_FOREIGN) {
                for (String id : pools.foreignIds()) {
                    if (r.body().contains(id) && !c.path().contains("cursor=") && !request.contains("idempotencyKey")) {
                        finding(c, "the answer lists another tenant's record " + id);
                    }
                }
            }
            pools.collect(json);
            cases.accepted(c, json);
        }
        actorCount = after;
    }

    private void finding(FuzzCase c, String what) {
        findings.add(what + " <- " + c.describe());
    }

    /** Exactly {@code {"error":{"code","message"}}} as JSON, a code in capitals, and no trace of Java. */
    private static boolean isErrorShape(Api.Response r, JsonNode json) {
        String type = r.header("content-type");
        if (type == null || !type.startsWith("application/json") || json == null || !json.isObject() || json.size() != 1) {
            return false;
        }
        JsonNode error = json.get("error");
        return error != null && error.isObject() && error.size() == 2
                && error.path("code").isTextual() && error.path("code").asText().matches("[A-Z][A-Z_0-9]*")
                && error.path("message").isTextual() && !error.path("message").asText().isBlank()
                && !r.body().contains("Exception") && !r.body().contains("java.") && !r.body().contains("io.micronaut");
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isEmpty() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String excerpt(String body) {
        return FuzzCase.printable(body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }

    private String attemptKinds() {
        Map<String, Long> kinds = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(STORE_URL); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT error_kind, COUNT(*) FROM " + ATTEMPTS + " GROUP BY error_kind")) {
            while (rs.next()) {
                kinds.put(String.valueOf(rs.getString(1)), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return kinds.toString();
    }

    /**
     * Every attempt the store holds: the JDBC store keeps a delivery's latest attempt in its state row and
     * moves it to herald_attempts only when another attempt follows.
     */
    private static final String ATTEMPTS = "(SELECT response_status, error_kind FROM herald_attempts UNION ALL"
            + " SELECT attempt_response_status, attempt_error_kind FROM herald_delivery_state WHERE attempt_id IS NOT NULL) a";

    private static long count(String sql) {
        try (Connection connection = DriverManager.getConnection(STORE_URL); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
