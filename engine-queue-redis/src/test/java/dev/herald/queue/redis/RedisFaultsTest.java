package dev.herald.queue.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.engine.spi.QueueEntry;
import dev.herald.engine.spi.QueuedDelivery;
import dev.herald.engine.testing.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Redis going away and coming back, and passwords, each on a Redis of its own. */
class RedisFaultsTest {

    private final SettableClock clock = new SettableClock();

    private static RedisDeliveryQueue queueFor(String url, SettableClock clock) {
        return RedisDeliveryQueue.builder()
                .url(url)
                .blockTime(Duration.ofMillis(100))
                .claimIdle(Duration.ofSeconds(1))
                .connectTimeout(Duration.ofMillis(500))
                .socketTimeout(Duration.ofMillis(500))
                .poolMaxWait(Duration.ofMillis(500))
                .clock(clock)
                .build();
    }

    private List<String> pollIds(RedisDeliveryQueue queue, int count) {
        List<String> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(1)).until(() -> {
            List<QueueEntry> taken = queue.poll(10, Duration.ofMillis(100));
            taken.forEach(entry -> seen.add(entry.deliveryId()));
            queue.ack(taken);
            return seen.size() >= count;
        });
        return seen;
    }

    private QueuedDelivery dueNow(String id) {
        return new QueuedDelivery(id, clock.instant());
    }

    @Test
    void theSameQueueWorksAgainAfterRedisRestartsAndLosesItsData() throws InterruptedException {
        try (EmbeddedRedis redis = EmbeddedRedis.launch(); RedisDeliveryQueue queue = queueFor(redis.url(), clock)) {
            queue.offer(List.of(dueNow("dlv_before")));
            assertThat(pollIds(queue, 1)).containsExactly("dlv_before");

            redis.stop();
            assertThatThrownBy(() -> queue.offer(List.of(dueNow("dlv_while_down"))))
                    .isInstanceOf(RedisQueueException.class);
            long start = System.nanoTime();
            assertThat(queue.poll(10, Duration.ofMillis(300))).as("a poll with Redis down returns empty").isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(queue.size()).isEqualTo(-1);

            redis.start(); // empty: no persistence, so the stream and the group are gone

            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                    .untilAsserted(() -> queue.offer(List.of(dueNow("dlv_after"))));
            assertThat(pollIds(queue, 1)).contains("dlv_after");
            assertThat(queue.size()).isZero();
        }
    }

    @Test
    void aPollWaitingWhileRedisIsDownIsWokenByClose() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.launch()) {
            RedisDeliveryQueue queue = queueFor(redis.url(), clock);
            redis.stop();
            var result = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return queue.poll(10, Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !result.isDone());
            queue.close();
            assertThat(result.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void aPasswordInTheUrlIsUsedAndNeverShown() throws InterruptedException {
        String password = "s3cret-Pa55";
        try (EmbeddedRedis redis = EmbeddedRedis.launchWithPassword(password)) {
            String url = "redis://:" + password + "@127.0.0.1:" + redis.port();
            try (RedisDeliveryQueue queue = queueFor(url, clock)) {
                queue.offer(List.of(dueNow("dlv_secured")));
                assertThat(pollIds(queue, 1)).containsExactly("dlv_secured");
                assertThat(queue.toString()).doesNotContain(password);
            }
            RedisDeliveryQueue.Builder builder = RedisDeliveryQueue.builder().url(url);
            assertThat(builder.toString()).doesNotContain(password).contains("127.0.0.1");

            String wrong = "redis://:not-" + password + "@127.0.0.1:" + redis.port();
            try (RedisDeliveryQueue refused = queueFor(wrong, clock)) {
                assertThatThrownBy(() -> refused.offer(List.of(dueNow("dlv_refused"))))
                        .isInstanceOf(RedisQueueException.class)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(password))
                        .satisfies(e -> assertThat(String.valueOf(e.getCause())).doesNotContain(password));
                assertThat(refused.poll(10, Duration.ofMillis(200))).isEmpty();
            }
        }
    }
}
