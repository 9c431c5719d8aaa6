package dev.herald.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import dev.herald.engine.EndpointRequest;
import dev.herald.engine.ErrorCode;
import dev.herald.engine.EventRequest;
import dev.herald.engine.Herald;
import dev.herald.engine.HeraldException;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.retry.RetryPolicy;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8: PostgreSQL cannot keep a NUL character in text, so a NUL from a tenant (description, subject,
 * idempotency key) was a store failure answered 503, and a receiver answering with a NUL byte could never
 * have its attempt recorded. Tenants' NULs are refused with a 400 code; a receiver's is kept as U+FFFD.
 */
class NulOnPostgresTest {
    private static final String TENANT = "acme";

    private HikariDataSource pool;
    private JdbcDeliveryStore store;
    private Herald herald;
    private HttpServer receiver;

    @BeforeEach
    void start() throws Exception {
        pool = EmbeddedPostgresServer.pool(EmbeddedPostgresServer.newDatabase("nul"), 4);
        store = JdbcDeliveryStore.builder().dataSource(pool).build();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] answer = {'o', 'k', 0, '!'};
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        receiver.start();
        herald = Herald.builder().store(store).urlPolicy(UrlPolicy.permissive()).eventTypes("document.completed")
                .retryPolicy(RetryPolicy.builder().delays(Duration.ofMillis(50)).jitter(0).build())
                .requestTimeout(Duration.ofSeconds(5)).lease(Duration.ofSeconds(15)).sweepInterval(Duration.ofMillis(50))
                .build().start();
    }

    @AfterEach
    void stop() {
        herald.close();
        receiver.stop(0);
        store.close();
        pool.close();
    }

    @Test
    void aTenantsNulIsRefusedWithACodeAndNothingIsStored() {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        HeraldException description = catchThrowableOfType(HeraldException.class, () -> herald.createEndpoint(TENANT,
                new EndpointRequest(url, Set.of(), "a\u0000b", null, null, true, 0, 0)));
        HeraldException subject = catchThrowableOfType(HeraldException.class, () -> herald.publish(
                new EventRequest(TENANT, "document.completed", "{}", "s\u0000", null, null)));
        HeraldException key = catchThrowableOfType(HeraldException.class, () -> herald.publish(
                new EventRequest(TENANT, "document.completed", "{}", null, "k\u0000", null)));

        assertThat(List.of(description, subject, key)).extracting(HeraldException::code)
                .containsOnly(ErrorCode.INVALID_ARGUMENT);
        assertThat(herald.endpoints(TENANT, null, 10).items()).isEmpty();
    }

    @Test
    void aReceiversNulIsKeptAsAReplacementCharacter() {
        Endpoint endpoint = herald.createEndpoint(TENANT,
                EndpointRequest.of("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook"));
        String delivery = herald.publish(EventRequest.of(TENANT, "document.completed", "{\"a\":\"\\u0000\"}"))
                .deliveryIds().get(0);

        await().atMost(Duration.ofSeconds(20))
                .until(() -> herald.delivery(TENANT, delivery).status() == DeliveryStatus.SUCCEEDED);
        // On a loaded machine an earlier attempt may have timed out; the answered one is the last.
        List<Attempt> attempts = herald.attempts(TENANT, delivery);
        assertThat(attempts.get(attempts.size() - 1).responseStatus()).isEqualTo(200);
        assertThat(attempts.get(attempts.size() - 1).responseBody()).isEqualTo("ok\uFFFD!");
        assertThat(endpoint.id()).startsWith("ep_");
    }
}
