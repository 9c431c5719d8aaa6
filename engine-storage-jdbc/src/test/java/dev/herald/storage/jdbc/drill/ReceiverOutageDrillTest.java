package dev.herald.storage.jdbc.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.engine.EndpointRequest;
import dev.herald.engine.EventRequest;
import dev.herald.engine.Herald;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.memory.InProcessDeliveryQueue;
import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.retry.RetryPolicy;
import dev.herald.engine.testing.drill.LedgerReceiver;
import dev.herald.storage.jdbc.JdbcDeliveryStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver outage drill: the receiver answers 503 until every delivery was refused at least once and
 * twice as many requests as deliveries were refused, then comes back. Everything must arrive, on the retry schedule, and nothing may end DEAD.
 */
class ReceiverOutageDrillTest {
    private static final Logger log = LoggerFactory.getLogger(ReceiverOutageDrillTest.class);
    private static final String TENANT = "drill";
    private static final int EVENTS = 200;
    private static final List<Duration> SCHEDULE = List.of(Duration.ofMillis(200), Duration.ofMillis(400),
            Duration.ofMillis(800), Duration.ofMillis(1600), Duration.ofMillis(3200), Duration.ofMillis(6400),
            // Enough tail to outlast the longest outage the drill waits for (60 s), so none may end DEAD.
            Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10),
            Duration.ofSeconds(10), Duration.ofSeconds(10));
    private static final double JITTER = 0.2;
    /** Room for the sweep interval, the recorder's batching and a loaded two-core machine. */
    private static final Duration SLACK = Duration.ofSeconds(5);

    @Test
    void deliveriesRefusedDuringAnOutageArriveOnScheduleOnceTheReceiverIsBack(@TempDir Path dir) {
        try (LedgerReceiver receiver = LedgerReceiver.start();
             JdbcDeliveryStore store = JdbcDeliveryStore.h2File(dir)) {
            // The circuit breaker is set out of reach here, so the drill exercises the retry schedule;
            // an open circuit only delays deliveries further without spending attempts (its own tests).
            Herald herald = Herald.builder().store(store).queue(InProcessDeliveryQueue.create())
                    .urlPolicy(UrlPolicy.permissive())
                    .retryPolicy(RetryPolicy.builder().delays(SCHEDULE).jitter(JITTER).build())
                    .circuitBreaker(10_000, Duration.ofSeconds(1))
                    .requestTimeout(Duration.ofSeconds(5)).lease(Duration.ofSeconds(20))
                    .sweepInterval(Duration.ofMillis(200))
                    .build();
            try (herald) {
                herald.createEndpoint(TENANT, EndpointRequest.of(receiver.url()));
                receiver.answer(503);
                herald.start();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < EVENTS; i++) {
                    ids.addAll(herald.publish(EventRequest.of(TENANT, "drill.tick", "{\"seq\":" + i + "}")).deliveryIds());
                }
                await("every delivery refused, two refusals per delivery on average").atMost(Duration.ofSeconds(60))
                        .until(() -> receiver.distinctRefused() == EVENTS && receiver.refused() >= 2 * EVENTS);
                receiver.answer(200);
                log.info("receiver back after {} refused requests", receiver.refused());

                await("all delivered").atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                        assertThat(store.countByStatus()).containsEntry(DeliveryStatus.SUCCEEDED, (long) EVENTS));

                Map<DeliveryStatus, Long> counts = store.countByStatus();
                assertThat(counts.getOrDefault(DeliveryStatus.DEAD, 0L)).isZero();
                assertThat(receiver.distinctSeqs()).isEqualTo(EVENTS);
                int lateOrEarly = 0;
                int attemptsTotal = 0;
                for (String id : ids) {
                    List<Attempt> attempts = herald.attempts(TENANT, id);
                    attemptsTotal += attempts.size();
                    assertThat(attempts).as("attempts of %s", id).hasSizeGreaterThanOrEqualTo(2);
                    assertThat(attempts.get(attempts.size() - 1).responseStatus()).isEqualTo(200);
                    // 503s, or a timeout when the loaded machine kept the receiver from answering in time.
                    assertThat(attempts.subList(0, attempts.size() - 1)).allMatch(a -> a.responseStatus() != 200);
                    assertThat(attempts).anyMatch(a -> a.responseStatus() == 503);
                    for (int n = 1; n < attempts.size(); n++) {
                        Duration planned = SCHEDULE.get(n - 1);
                        // Not before the delay counted from the previous start, not much after it counted
                        // from the previous end (where the engine starts counting).
                        Attempt previous = attempts.get(n - 1);
                        Instant next = attempts.get(n).startedAt();
                        long fromStart = Duration.between(previous.startedAt(), next).toMillis();
                        long fromEnd = Duration.between(previous.startedAt().plus(previous.duration()), next).toMillis();
                        long earliest = Math.round(planned.toMillis() * (1 - JITTER));
                        long latest = Math.round(planned.toMillis() * (1 + JITTER)) + SLACK.toMillis();
                        if (fromStart < earliest || fromEnd > latest) {
                            lateOrEarly++;
                            log.warn("{}: attempt {} came {} ms after the previous one ended, planned {} ms", id,
                                    n + 1, fromEnd, planned.toMillis());
                        }
                    }
                }
                log.info("outage drill: {} deliveries, {} attempts, {} off schedule", EVENTS, attemptsTotal, lateOrEarly);
                assertThat(lateOrEarly).as("retries off schedule").isZero();
            }
        }
    }
}
