package dev.herald.demo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.herald.demo.ops.QueueHealth;
import dev.herald.engine.Herald;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import dev.herald.engine.memory.InMemoryDeliveryStore;
import dev.herald.engine.spi.DeliveryStore;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** application.yml binds as documented, and a bad setting stops start-up with a message naming it. */
class ConfigurationTest {

    @Test
    void defaultsFromApplicationYmlAreBound() {
        try (ApplicationContext context = ApplicationContext.run("test")) {
            HeraldProperties p = context.getBean(HeraldProperties.class);

            assertThat(p.getStore().getKind()).isEqualTo("jdbc");
            assertThat(p.getQueue().getRedis().getKeyPrefix()).isEqualTo("herald");
            assertThat(p.getQueue().getKind()).isEqualTo("in-process");
            assertThat(p.getEventTypes()).contains("upload.completed", "download.progress", "document.completed",
                    "quota.warning");
            assertThat(HeraldSettings.coalesce(p)).containsExactly(Map.entry("download.progress", Duration.ofSeconds(1)));
            assertThat(p.getDelivery().getMaxInFlight()).isEqualTo(512);
            assertThat(p.getDelivery().getShutdownTimeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(p.getMaxPayloadBytes()).isEqualTo(256 * 1024);
            assertThat(p.getDemo().getTenant()).isEqualTo("demo");
            assertThat(context.getBean(Herald.class)).isNotNull();
        }
    }

    @Test
    void productionDefaultsAreStrict() {
        HeraldProperties p = new HeraldProperties();

        assertThat(HeraldSettings.urlPolicy(p).allowsHttp()).isFalse();
        assertThat(HeraldSettings.urlPolicy(p).allowsPrivateNetworks()).isFalse();
        assertThat(p.getRetry().getDelays()).hasSize(7);
    }

    @Test
    void badSettingsStopStartUpNamingTheSetting() {
        record Case(Map<String, Object> properties, String message) {
        }
        List<Case> cases = List.of(
                new Case(Map.of("herald.store.kind", "bogus"), "herald.store.kind must be one of [memory, jdbc], was 'bogus'"),
                new Case(Map.of("herald.queue.kind", "kafka"), "herald.queue.kind must be one of [in-process, redis]"),
                new Case(Map.of("herald.store.jdbc.url", "postgres://db/herald"), "herald.store.jdbc.url must be a JDBC URL"),
                new Case(Map.of("herald.store.jdbc.maximum-pool-size", "0"), "herald.store.jdbc.maximum-pool-size must be within [1, 1000]"),
                new Case(Map.of("herald.queue.kind", "redis"), "herald.queue.redis.url is required when herald.queue.kind=redis"),
                new Case(Map.of("herald.queue.kind", "redis", "herald.queue.redis.url", "http://cache:6379"), "herald.queue.redis.url: "),
                new Case(Map.of("herald.queue.kind", "redis", "herald.queue.redis.url", "redis://127.0.0.1:1",
                        "herald.queue.redis.key-prefix", "has space"), "herald.queue.redis.key-prefix: "),
                new Case(Map.of("herald.delivery.lease", "3s"), "herald.delivery.lease (PT3S) must be at least twice "
                        + "herald.delivery.request-timeout (PT2S)"),
                new Case(Map.of("herald.delivery.max-in-flight", "0"), "herald.delivery.max-in-flight: maxInFlight must be within [1, 100000]"),
                new Case(Map.of("herald.delivery.request-timeout", "1ms"), "herald.delivery.request-timeout"),
                new Case(Map.of("herald.retry.delays", "0s"), "herald.retry.delays"),
                new Case(Map.of("herald.retry.jitter", "2"), "herald.retry.jitter"),
                new Case(Map.of("herald.event-types", "Not A Type"), "herald.event-types: malformed event type"),
                new Case(Map.of("herald.coalesce.quota.warning", "soon"), "herald.coalesce.quota.warning must be a duration"),
                new Case(Map.of("herald.max-payload-bytes", "10"), "herald.max-payload-bytes"),
                new Case(Map.of("herald.demo.tenant", "no spaces allowed"), "herald.demo.tenant"),
                new Case(Map.of("herald.demo.api-key", "short"), "herald.demo.api-key must have at least 16 characters"));

        for (Case c : cases) {
            // Start-up alone must fail; the close only runs if it did not.
            Throwable failure = catchThrowable(() -> ApplicationContext.run(c.properties(), "test").close());
            assertThat(failure).as(c.properties().toString()).isNotNull();
            assertThat(messages(failure)).as(c.properties().toString()).anyMatch(m -> m.contains(c.message()));
        }
    }

    @Test
    void unreachableDatabaseStopsStartUpWithoutShowingTheUrlOrPassword() {
        String url = "jdbc:postgresql://127.0.0.1:1/herald?connectTimeout=1";
        Throwable failure = catchThrowable(() -> ApplicationContext.run(Map.of(
                "herald.store.jdbc.url", url,
                "herald.store.jdbc.username", "herald",
                "herald.store.jdbc.password", "pw-not-to-be-shown"), "test").close());

        assertThat(failure).isNotNull();
        assertThat(messages(failure)).anyMatch(m -> m.contains("herald.store.jdbc.url: could not open the database"));
        assertThat(messages(failure)).noneMatch(m -> m.contains("pw-not-to-be-shown"))
                .filteredOn(m -> m.contains("herald.store.jdbc.url:")).noneMatch(m -> m.contains(url));
    }

    @Test
    void startsWhileRedisIsUnreachableAndHealthSaysSo() {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "herald.queue.kind", "redis", "herald.queue.redis.url", "redis://127.0.0.1:1"), "test")) {
            HealthResult health = first(context.getBean(QueueHealth.class).getResult());

            assertThat(health.getStatus()).isEqualTo(HealthStatus.DOWN);
            assertThat(health.getDetails().toString()).contains("kind=redis", "depth=-1");
        }
    }

    @Test
    void memoryStoreStaysAvailable() {
        try (ApplicationContext context = ApplicationContext.run(Map.of("herald.store.kind", "memory"), "test")) {
            assertThat(context.getBean(DeliveryStore.class)).isInstanceOf(InMemoryDeliveryStore.class);
        }
    }

    private static <T> T first(Publisher<T> publisher) {
        CompletableFuture<T> result = new CompletableFuture<>();
        publisher.subscribe(new Subscriber<T>() {
            @Override
            public void onSubscribe(Subscription s) {
                s.request(1);
            }

            @Override
            public void onNext(T t) {
                result.complete(t);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                result.completeExceptionally(new IllegalStateException("no result"));
            }
        });
        return result.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join();
    }

    private static List<String> messages(Throwable t) {
        List<String> out = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.add(String.valueOf(c.getMessage()));
        }
        return out;
    }
}
