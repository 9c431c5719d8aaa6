package dev.herald.demo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.herald.engine.Herald;
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

            assertThat(p.getStore().getKind()).isEqualTo("memory");
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
                new Case(Map.of("herald.store.kind", "jdbc"), "herald.store.kind=jdbc is not available in this build"),
                new Case(Map.of("herald.queue.kind", "redis"), "herald.queue.kind=redis is not available in this build"),
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

    private static List<String> messages(Throwable t) {
        List<String> out = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.add(String.valueOf(c.getMessage()));
        }
        return out;
    }
}
