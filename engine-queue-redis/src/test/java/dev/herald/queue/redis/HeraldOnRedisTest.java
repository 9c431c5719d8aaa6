package dev.herald.queue.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.engine.EndpointRequest;
import dev.herald.engine.EventRequest;
import dev.herald.engine.Herald;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.memory.InMemoryDeliveryStore;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.retry.RetryPolicy;
import dev.herald.engine.testing.TestReceiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole engines on a real Redis: several instances share one store and one consumer group, and Redis
 * losing everything loses no delivery, because the store is the truth and the sweep reconciles.
 */
class HeraldOnRedisTest {
    private static final String TENANT = "acme";

    private EmbeddedRedis redis;
    private TestReceiver receiver;
    private final InMemoryDeliveryStore store = new InMemoryDeliveryStore();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void start() {
        redis = EmbeddedRedis.launch();
        receiver = TestReceiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        receiver.close();
        redis.close();
    }

    private Herald engine(String name, Duration sweep) {
        RedisDeliveryQueue queue = RedisDeliveryQueue.builder().url(redis.url()).consumer(name)
                .blockTime(Duration.ofMillis(100)).build();
        closing.add(queue);
        Herald herald = Herald.builder().store(store).queue(queue).urlPolicy(UrlPolicy.permissive())
                .retryPolicy(RetryPolicy.builder().delays(Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(200), Duration.ofMillis(400)).build())
                .instanceId(name).sweepInterval(sweep).maxInFlight(64).build();
        closing.add(herald);
        return herald;
    }

    private Map<String, Integer> receivedCounts() {
        Map<String, Integer> counts = new HashMap<>();
        for (TestReceiver.Received r : receiver.received()) {
            counts.merge(r.header("webhook-id"), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void twoEnginesDeliverEveryDeliveryExactlyOnceWhileHealthy() {
        Herald a = engine("engine-a", Duration.ofSeconds(30));
        Herald b = engine("engine-b", Duration.ofSeconds(30));
        a.createEndpoint(TENANT, EndpointRequest.of(receiver.url()));
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            (i % 2 == 0 ? a : b).publish(EventRequest.of(TENANT, "quota.warning", "{\"i\":" + i + "}"));
        }
        a.start();
        b.start();

        await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                assertThat(store.countByStatus()).containsEntry(DeliveryStatus.SUCCEEDED, (long) n));

        Map<String, Integer> counts = receivedCounts();
        assertThat(counts).hasSize(n);
        assertThat(counts.values()).allMatch(c -> c == 1);
            }

    @Test
    void redisLosingEverythingMidRunLosesNoDelivery() {
        Herald herald = engine("engine-a", Duration.ofMillis(200));
        herald.createEndpoint(TENANT, EndpointRequest.of(receiver.url()));
        // A few failures, below the circuit breaker's threshold, so retries run on the schedule.
        receiver.answer(call -> call <= 10 ? 503 : 200);
        herald.start();
        int n = 1_000;
        for (int i = 0; i < n / 2; i++) {
            herald.publish(EventRequest.of(TENANT, "quota.warning", "{\"i\":" + i + "}"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.calls() > 100);

        try (var client = redis.client()) {
            client.flushAll();
        }
        redis.stop();
        for (int i = n / 2; i < n; i++) {
            herald.publish(EventRequest.of(TENANT, "quota.warning", "{\"i\":" + i + "}"));
        }
        redis.start();

        await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                assertThat(store.countByStatus()).containsEntry(DeliveryStatus.SUCCEEDED, (long) n));
        assertThat(receivedCounts().entrySet().stream().filter(e -> e.getValue() >= 1)).hasSize(n);
    }
}
