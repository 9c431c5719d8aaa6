package dev.herald.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.memory.InMemoryDeliveryStore;
import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.ErrorKind;
import dev.herald.engine.retry.RetryPolicy;
import dev.herald.engine.signing.WebhookVerifier;
import dev.herald.engine.spi.DeliveryQuery;
import dev.herald.engine.spi.DeliveryQueue;
import dev.herald.engine.spi.QueueEntry;
import dev.herald.engine.spi.QueuedDelivery;
import dev.herald.engine.spi.Transport;
import dev.herald.engine.spi.TransportResult;
import dev.herald.engine.testing.TestReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** End to end in one JVM: a real engine, real HTTP, a local receiver. */
class HeraldDeliveryTest {
    private static final String TENANT = "acme";
    // Generous: Awaitility returns as soon as the condition holds, and CI machines may be loaded.
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final InMemoryDeliveryStore store = new InMemoryDeliveryStore();
    private final List<TestReceiver> receivers = new CopyOnWriteArrayList<>();
    private final List<Herald> engines = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        engines.forEach(Herald::close);
        receivers.forEach(TestReceiver::close);
    }

    private TestReceiver receiver() {
        TestReceiver r = TestReceiver.start();
        receivers.add(r);
        return r;
    }

    private HeraldBuilder builder() {
        return Herald.builder().store(store).urlPolicy(UrlPolicy.permissive())
                .retryPolicy(RetryPolicy.builder().delays(Duration.ofMillis(20), Duration.ofMillis(20)).jitter(0)
                        .build())
                .requestTimeout(Duration.ofSeconds(2)).lease(Duration.ofSeconds(5))
                .sweepInterval(Duration.ofMillis(50));
    }

    private Herald started(HeraldBuilder b) {
        Herald herald = b.build().start();
        engines.add(herald);
        return herald;
    }

    private Delivery awaitStatus(Herald herald, String deliveryId, DeliveryStatus status) {
        await().atMost(WAIT).until(() -> herald.delivery(TENANT, deliveryId).status() == status);
        return herald.delivery(TENANT, deliveryId);
    }

    @Test
    void publishedEventArrivesSignedWithBothSchemesAndVerifies() {
        TestReceiver receiver = receiver();
        Herald herald = started(builder());
        Endpoint endpoint = herald.createEndpoint(TENANT, EndpointRequest.of(receiver.url(), "document.completed"));

        PublishResult result = herald.publish(EventRequest.of(TENANT, "document.completed", "{\"doc\":\"d1\"}"));

        assertThat(result.deliveryIds()).hasSize(1);
        awaitStatus(herald, result.deliveryIds().get(0), DeliveryStatus.SUCCEEDED);
        TestReceiver.Received req = receiver.received().get(0);
        assertThat(req.header("webhook-id")).isEqualTo(result.deliveryIds().get(0));
        assertThat(req.header("x-webhook-event")).isEqualTo("document.completed");
        assertThat(req.header("user-agent")).startsWith("Herald/");
        assertThat(req.bodyText()).contains("\"type\":\"document.completed\"").contains("\"data\":{\"doc\":\"d1\"}");

        WebhookVerifier verifier = WebhookVerifier.builder().secret(endpoint.secrets().get(0).value()).build();
        verifier.verify(req.headers()::get, req.body());
        Map<String, String> compatOnly = Map.of("x-webhook-signature", req.header("x-webhook-signature"),
                "x-webhook-id", req.header("x-webhook-id"));
        verifier.verify(compatOnly::get, req.body());
    }

    @Test
    void serverErrorIsRetriedUntilSuccess() {
        TestReceiver receiver = receiver().answer(n -> n == 1 ? 500 : 200);
        Herald herald = started(builder());
        herald.createEndpoint(TENANT, EndpointRequest.of(receiver.url()));

        String id = herald.publish(EventRequest.of(TENANT, "quota.warning", "{}")).deliveryIds().get(0);

        Delivery done = awaitStatus(herald, id, DeliveryStatus.SUCCEEDED);
        assertThat(done.attempts()).isEqualTo(2);
        List<Attempt> attempts = herald.attempts(TENANT, id);
        assertThat(attempts).extracting(Attempt::responseStatus).containsExactly(500, 200);
        assertThat(attempts.get(0).errorKind()).isEqualTo(ErrorKind.HTTP_STATUS);
        assertThat(attempts.get(1).succeeded()).isTrue();
        assertThat(receiver.received()).extracting(r -> r.header("webhook-id")).containsOnly(id);
    }

    @Test
    void clientErrorFailsAtOnce() {
        TestReceiver receiver = receiver().answer(400);
        Herald herald = started(builder());
        herald.createEndpoint(TENANT, EndpointRequest.of(receiver.url()));

        String id = herald.publish(EventRequest.of(TENANT, "quota.warning", "{}")).deliveryIds().get(0);

        Delivery failed = awaitStatus(herald, id, DeliveryStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(receiver.calls()).isEqualTo(1);
    }

    @Test
    void alwaysFailingDeliveryEndsDeadAndCanBeReplayed() {
        TestReceiver receiver = receiver().answer(503);
        List<String> dead = new CopyOnWriteArrayList<>();
        Herald herald = started(builder().listener(new HeraldListener() {
            @Override
            public void deliveryDead(Delivery delivery, Attempt attempt) {
                dead.add(delivery.id());
            }
        }));
        Endpoint endpoint = herald.createEndpoint(TENANT, EndpointRequest.of(receiver.url()));

        String id = herald.publish(EventRequest.of(TENANT, "quota.warning", "{}")).deliveryIds().get(0);

        Delivery deadLetter = awaitStatus(herald, id, DeliveryStatus.DEAD);
        assertThat(deadLetter.attempts()).isEqualTo(3);
        await().atMost(WAIT).until(() -> dead.contains(id));
        assertThat(dead).containsExactly(id);
        assertThat(herald.deliveries(new DeliveryQuery(TENANT, null, null, DeliveryStatus.DEAD, null, 10)).items())
                .extracting(Delivery::id).containsExactly(id);

        receiver.answer(200);
        assertThat(herald.replayEndpoint(TENANT, endpoint.id())).containsExactly(id);
        Delivery replayed = awaitStatus(herald, id, DeliveryStatus.SUCCEEDED);
        assertThat(replayed.attempts()).isEqualTo(4);
        assertThat(herald.attempts(TENANT, id)).hasSize(4);
    }

    @Test
    void replayRefusesDeliveriesThatAreNotFailedOrDead() {
        TestReceiver receiver = receiver();
        Herald herald = started(builder());
        herald.createEndpoint(TENANT, EndpointRequest.of(receiver.url()));
        String id = herald.publish(EventRequest.of(TENANT, "quota.warning", "{}")).deliveryIds().get(0);
        awaitStatus(herald, id, DeliveryStatus.SUCCEEDED);

        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(HeraldException.class,
                () -> herald.replay(TENANT, id)).code()).isEqualTo(ErrorCode.NOT_REPLAYABLE);
    }

    @Test
    void goneDisablesTheEndpoint() {
        TestReceiver receiver = receiver().answer(410);
        List<String> disabled = new CopyOnWriteArrayList<>();
        Herald herald = started(builder().listener(new HeraldListener() {
            @Override
            public void endpointDisabled(Endpoint endpoint, String reason) {
                disabled.add(endpoint.id());
            }
        }));
        Endpoint endpoint = herald.createEndpoint(TENANT, EndpointRequest.of(receiver.url()));

        String id = herald.publish(EventRequest.of(TENANT, "quota.warning", "{}")).deliveryIds().get(0);

        awaitStatus(herald, id, DeliveryStatus.FAILED);
        await().atMost(WAIT).until(() -> !herald.endpoint(TENANT, endpoint.id()).enabled());
        assertThat(disabled).containsExactly(endpoint.id());
        assertThat(herald.publish(EventRequest.of(TENANT, "quota.warning", "{}")).deliveryIds()).isEmpty();
    }

    @Test
    void slowEndpointDoesNotDelayAnother() {
        TestReceiver slow = receiver().holdRequests();
        TestReceiver fast = receiver();
        Herald herald = started(builder().endpointMaxInFlight(4).requestTimeout(Duration.ofSeconds(20))
                .lease(Duration.ofSeconds(60)));
        herald.createEndpoint(TENANT, EndpointRequest.of(slow.url(), "slow.thing"));
        herald.createEndpoint(TENANT, EndpointRequest.of(fast.url(), "fast.thing"));

        for (int i = 0; i < 40; i++) {
            herald.publish(EventRequest.of(TENANT, "slow.thing", "{\"i\":" + i + "}"));
        }
        List<String> fastIds = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            fastIds.addAll(herald.publish(EventRequest.of(TENANT, "fast.thing", "{\"i\":" + i + "}")).deliveryIds());
        }

        await().atMost(WAIT).until(() -> fast.received().size() == 20);
        assertThat(slow.calls()).isLessThanOrEqualTo(4);
        assertThat(slow.received()).isEmpty();
        // The receiver has every request before the engine has recorded the last answers.
        await().atMost(WAIT).untilAsserted(() -> assertThat(fastIds)
                .allSatisfy(id -> assertThat(herald.delivery(TENANT, id).status()).isEqualTo(DeliveryStatus.SUCCEEDED)));
        slow.release();
        await().atMost(WAIT).until(() -> slow.received().size() == 40);
    }

    @Test
    void filtersPickTheEndpoints() {
        TestReceiver docs = receiver();
        TestReceiver all = receiver();
        Herald herald = started(builder());
        herald.createEndpoint(TENANT, EndpointRequest.of(docs.url(), "document.*"));
        herald.createEndpoint(TENANT, EndpointRequest.of(all.url()));
        herald.createEndpoint("other-tenant", EndpointRequest.of(all.url()));

        assertThat(herald.publish(EventRequest.of(TENANT, "document.completed", "{}")).deliveryIds()).hasSize(2);
        assertThat(herald.publish(EventRequest.of(TENANT, "quota.warning", "{}")).deliveryIds()).hasSize(1);

        await().atMost(WAIT).until(() -> all.received().size() == 2 && docs.received().size() == 1);
        assertThat(docs.received().get(0).header("x-webhook-event")).isEqualTo("document.completed");
    }

    @Test
    void idempotencyKeyStoresTheEventOnce() {
        Herald herald = started(builder());
        herald.createEndpoint(TENANT, EndpointRequest.of(receiver().url()));
        EventRequest request = EventRequest.of(TENANT, "quota.warning", "{}").withIdempotencyKey("k-1");

        PublishResult first = herald.publish(request);
        PublishResult second = herald.publish(request);

        assertThat(first.duplicate()).isFalse();
        assertThat(second.duplicate()).isTrue();
        assertThat(second.eventId()).isEqualTo(first.eventId());
        assertThat(second.deliveryIds()).isEmpty();
    }

    @Test
    void rotationSendsBothSignaturesDuringGrace() {
        TestReceiver receiver = receiver();
        Herald herald = started(builder());
        Endpoint endpoint = herald.createEndpoint(TENANT, EndpointRequest.of(receiver.url()));
        String oldSecret = endpoint.secrets().get(0).value();

        Endpoint rotated = herald.rotateSecret(TENANT, endpoint.id(), Duration.ofHours(1));
        String newSecret = rotated.secrets().get(0).value();
        String id = herald.publish(EventRequest.of(TENANT, "quota.warning", "{}")).deliveryIds().get(0);
        awaitStatus(herald, id, DeliveryStatus.SUCCEEDED);

        TestReceiver.Received req = receiver.received().get(0);
        assertThat(newSecret).isNotEqualTo(oldSecret);
        assertThat(req.header("webhook-signature").split(" ")).hasSize(2);
        WebhookVerifier.builder().secret(oldSecret).build().verify(req.headers()::get, req.body());
        WebhookVerifier.builder().secret(newSecret).build().verify(req.headers()::get, req.body());
    }

    @Test
    void progressEventsAreCoalescedLatestWins() {
        TestReceiver receiver = receiver();
        Herald herald = started(builder().coalesce("download.progress", Duration.ofMillis(300)));
        herald.createEndpoint(TENANT, EndpointRequest.of(receiver.url()));

        for (int i = 1; i <= 50; i++) {
            herald.publish(EventRequest.of(TENANT, "download.progress", "{\"percent\":" + i + "}")
                    .withSubject("dl-1"));
        }

        await().atMost(WAIT).until(() -> receiver.received().stream()
                .anyMatch(r -> r.bodyText().contains("\"percent\":50")));
        // The first goes out at once, the newest when the window ends; the 48 between are never sent.
        assertThat(receiver.received()).hasSizeLessThanOrEqualTo(3)
                .anyMatch(r -> r.bodyText().contains("\"percent\":1}"));
    }

    @Test
    void sweepDeliversWhatTheQueueLost() {
        TestReceiver receiver = receiver();
        Herald herald = started(builder().queue(new BlackHoleQueue()));
        herald.createEndpoint(TENANT, EndpointRequest.of(receiver.url()));

        String id = herald.publish(EventRequest.of(TENANT, "quota.warning", "{}")).deliveryIds().get(0);

        awaitStatus(herald, id, DeliveryStatus.SUCCEEDED);
    }

    @Test
    void deliveriesOfACrashedEngineAreTakenOverWhenItsLeaseRunsOut() {
        TestReceiver receiver = receiver();
        // One slot, held forever by a request that never ends: like a process that froze mid-request,
        // this engine cannot claim the delivery again when its lease runs out.
        Herald crashed = started(builder().transport(new NeverAnsweringTransport()).maxInFlight(1)
                .requestTimeout(Duration.ofMillis(100)).lease(Duration.ofMillis(500)).shutdownTimeout(Duration.ZERO)
                .instanceId("crashed"));
        crashed.createEndpoint(TENANT, EndpointRequest.of(receiver.url()));
        String id = crashed.publish(EventRequest.of(TENANT, "quota.warning", "{}")).deliveryIds().get(0);
        await().atMost(WAIT).until(() -> crashed.delivery(TENANT, id).status() == DeliveryStatus.IN_FLIGHT);

        Herald survivor = started(builder().instanceId("survivor"));

        Delivery done = awaitStatus(survivor, id, DeliveryStatus.SUCCEEDED);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void shutdownReleasesWhatIsStillInFlight() {
        Herald herald = builder().transport(new NeverAnsweringTransport()).requestTimeout(Duration.ofSeconds(10))
                .lease(Duration.ofMinutes(1)).shutdownTimeout(Duration.ofMillis(100)).build().start();
        herald.createEndpoint(TENANT, EndpointRequest.of(receiver().url()));
        String id = herald.publish(EventRequest.of(TENANT, "quota.warning", "{}")).deliveryIds().get(0);
        await().atMost(WAIT).until(() -> herald.delivery(TENANT, id).status() == DeliveryStatus.IN_FLIGHT);

        herald.close();

        Delivery released = herald.delivery(TENANT, id);
        assertThat(released.status()).isEqualTo(DeliveryStatus.SCHEDULED);
        assertThat(released.attempts()).isZero();
    }

    @Test
    void deadLettersAreAnnouncedToOperationsEndpoints() {
        TestReceiver failing = receiver().answer(500);
        TestReceiver ops = receiver();
        Herald herald = started(builder().operationalEvents(true));
        herald.createEndpoint(TENANT, EndpointRequest.of(failing.url(), "quota.warning"));
        herald.createEndpoint(TENANT, EndpointRequest.of(ops.url(), "delivery.dead"));

        String id = herald.publish(EventRequest.of(TENANT, "quota.warning", "{}")).deliveryIds().get(0);

        awaitStatus(herald, id, DeliveryStatus.DEAD);
        await().atMost(WAIT).until(() -> ops.received().size() == 1);
        assertThat(ops.received().get(0).bodyText()).contains("\"type\":\"delivery.dead\"")
                .contains("\"deliveryId\":\"" + id + "\"");
    }

    /** A queue that forgets everything, as Redis does after a flush. */
    private static final class BlackHoleQueue implements DeliveryQueue {
        @Override
        public void offer(List<QueuedDelivery> deliveries) {
        }

        @Override
        public List<QueueEntry> poll(int max, Duration wait) {
            // Honour the contract's wait without spinning the claimer.
            java.util.concurrent.locks.LockSupport.parkNanos(Math.min(wait.toNanos(), 20_000_000L));
            return List.of();
        }

        @Override
        public void ack(List<QueueEntry> entries) {
        }
    }

    /** A transport whose requests never end, like a process that died mid-request. */
    private static final class NeverAnsweringTransport implements Transport {
        @Override
        public CompletableFuture<TransportResult> send(dev.herald.engine.spi.TransportRequest request) {
            return new CompletableFuture<>();
        }
    }
}
