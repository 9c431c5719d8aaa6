package dev.herald.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.demo.auth.ApiKeys;
import dev.herald.engine.testing.TestReceiver;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Shared set-up of the API tests: every test gets its own tenant with a fresh API key, so tests in one
 * application context never see each other's records, and local receivers closed after the test.
 */
public abstract class ApiTestBase {
    protected static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    @Client("/")
    protected HttpClient http;

    @Inject
    protected ApiKeys apiKeys;

    protected Api api;
    protected String tenant;
    private final List<TestReceiver> receivers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void newTenant() {
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
        api = new Api(http.toBlocking(), apiKeys.issue(tenant, "test"));
    }

    @AfterEach
    void closeReceivers() {
        receivers.forEach(TestReceiver::close);
    }

    /** A client for a second, unrelated tenant. */
    protected Api otherTenant() {
        return api.as(apiKeys.issue("other-" + UUID.randomUUID().toString().substring(0, 8), "test"));
    }

    protected TestReceiver receiver() {
        TestReceiver r = TestReceiver.start();
        receivers.add(r);
        return r;
    }

    /** Creates an endpoint and returns the creation answer. */
    protected Api.Response createEndpoint(String json) {
        Api.Response created = api.post("/v1/endpoints", json);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created;
    }

    protected String createEndpointFor(TestReceiver receiver, String... eventTypes) {
        String types = eventTypes.length == 0 ? "[]" : "[\"" + String.join("\",\"", eventTypes) + "\"]";
        return createEndpoint("{\"url\":\"" + receiver.url() + "\",\"eventTypes\":" + types + "}").text("id");
    }

    /** Publishes and returns the answer, checked to be 202. */
    protected Api.Response publish(String type, String data) {
        Api.Response r = api.post("/v1/events", "{\"type\":\"" + type + "\",\"data\":" + data + "}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r;
    }

    /** Waits until the delivery reaches {@code status} and returns its detail. */
    protected Api.Response awaitDelivery(String deliveryId, String status) {
        await().atMost(WAIT).until(() -> status.equals(api.get("/v1/deliveries/" + deliveryId).text("status")));
        return api.get("/v1/deliveries/" + deliveryId);
    }
}
