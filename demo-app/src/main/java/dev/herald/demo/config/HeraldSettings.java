package dev.herald.demo.config;

import dev.herald.engine.HeraldBuilder;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.retry.RetryPolicy;
import dev.herald.engine.retry.RetryPolicyBuilder;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.convert.ConversionService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks {@link HeraldProperties} and applies them to a {@link HeraldBuilder}. Every refusal names the
 * property as written in {@code application.yml}, so a bad start-up says what to fix. Stateless.
 */
public final class HeraldSettings {

    private HeraldSettings() {
    }

    /**
     * Checks what the builder cannot: the store and queue kinds and their required settings, the data
     * directory, the coalesce map, the demo tenant and key.
     *
     * @throws ConfigurationException listing every problem found
     */
    public static void validate(HeraldProperties p) {
        List<String> problems = new ArrayList<>();
        if (!StoreKind.ALL.contains(p.getStore().getKind())) {
            problems.add("herald.store.kind must be one of " + StoreKind.ALL + ", was '" + p.getStore().getKind() + "'");
        }
        if (!QueueKind.ALL.contains(p.getQueue().getKind())) {
            problems.add("herald.queue.kind must be one of " + QueueKind.ALL + ", was '" + p.getQueue().getKind() + "'");
        }
        if (StoreKind.JDBC.equals(p.getStore().getKind())) {
            HeraldProperties.Store.Jdbc jdbc = p.getStore().getJdbc();
            if (!isBlank(jdbc.getUrl()) && !jdbc.getUrl().trim().startsWith("jdbc:")) {
                // Not repeated: a URL may carry a password.
                problems.add("herald.store.jdbc.url must be a JDBC URL such as jdbc:postgresql://host:5432/herald");
            }
            if (jdbc.getMaximumPoolSize() < 1 || jdbc.getMaximumPoolSize() > 1000) {
                problems.add("herald.store.jdbc.maximum-pool-size must be within [1, 1000], was " + jdbc.getMaximumPoolSize());
            }
        }
        if (QueueKind.REDIS.equals(p.getQueue().getKind()) && isBlank(p.getQueue().getRedis().getUrl())) {
            problems.add("herald.queue.redis.url is required when herald.queue.kind=redis (redis://host:6379)");
        }
        if (isBlank(p.getDataDir())) {
            problems.add("herald.data-dir must name a directory");
        }
        try {
            coalesce(p);
        } catch (ConfigurationException e) {
            problems.add(e.getMessage());
        }
        String tenant = p.getDemo().getTenant();
        if (tenant == null || !tenant.matches("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")) {
            problems.add("herald.demo.tenant must be 1 to 128 letters, digits or _.:- and start with a letter or digit");
        }
        String key = p.getDemo().getApiKey();
        if (key != null && !key.isEmpty() && key.length() < 16) {
            problems.add("herald.demo.api-key must have at least 16 characters (or be empty to get a generated one)");
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Invalid Herald configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    /** The URL policy the properties ask for. */
    public static UrlPolicy urlPolicy(HeraldProperties p) {
        return UrlPolicy.builder()
                .allowHttp(p.getUrlPolicy().isAllowHttp())
                .allowPrivateNetworks(p.getUrlPolicy().isAllowPrivateNetworks())
                .build();
    }

    /**
     * Applies every engine setting to {@code builder} but the URL policy, which the application makes a bean
     * of ({@link #urlPolicy}) so that the transport shares it.
     *
     * @throws ConfigurationException naming the first property the engine refused
     */
    public static HeraldBuilder apply(HeraldProperties p, HeraldBuilder builder) {
        HeraldProperties.Delivery d = p.getDelivery();
        set("herald.delivery.max-in-flight", () -> builder.maxInFlight(d.getMaxInFlight()));
        set("herald.delivery.endpoint-max-in-flight", () -> builder.endpointMaxInFlight(d.getEndpointMaxInFlight()));
        set("herald.delivery.request-timeout", () -> builder.requestTimeout(d.getRequestTimeout()));
        set("herald.delivery.lease", () -> builder.lease(d.getLease()));
        set("herald.delivery.sweep-interval", () -> builder.sweepInterval(d.getSweepInterval()));
        set("herald.delivery.shutdown-timeout", () -> builder.shutdownTimeout(d.getShutdownTimeout()));
        set("herald.retry", () -> builder.retryPolicy(retryPolicy(p.getRetry())));
        set("herald.max-payload-bytes", () -> builder.maxPayloadBytes(p.getMaxPayloadBytes()));
        set("herald.event-types", () -> builder.eventTypes(p.getEventTypes().toArray(String[]::new)));
        coalesce(p).forEach((type, interval) -> set("herald.coalesce." + type, () -> builder.coalesce(type, interval)));
        builder.operationalEvents(p.isOperationalEvents());
        if (d.getLease() != null && d.getRequestTimeout() != null
                && d.getLease().compareTo(d.getRequestTimeout().multipliedBy(2)) < 0) {
            throw new ConfigurationException("herald.delivery.lease (" + d.getLease()
                    + ") must be at least twice herald.delivery.request-timeout (" + d.getRequestTimeout() + ")");
        }
        return builder;
    }

    private static RetryPolicy retryPolicy(HeraldProperties.Retry r) {
        RetryPolicyBuilder b = RetryPolicy.builder();
        try {
            b.delays(r.getDelays());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ConfigurationException("herald.retry.delays: " + e.getMessage());
        }
        try {
            b.jitter(r.getJitter());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("herald.retry.jitter: " + e.getMessage());
        }
        return b.build();
    }

    /** Parses {@code herald.coalesce}: event type to interval ({@code 1s}, {@code 500ms}, {@code PT2S}). */
    static Map<String, Duration> coalesce(HeraldProperties p) {
        Map<String, Duration> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : p.getCoalesce().entrySet()) {
            String type = e.getKey().toLowerCase(Locale.ROOT);
            Optional<Duration> interval = e.getValue() == null ? Optional.empty()
                    : ConversionService.SHARED.convert(e.getValue().trim(), Duration.class);
            if (interval.isEmpty()) {
                throw new ConfigurationException("herald.coalesce." + type + " must be a duration such as 1s or 500ms, was '"
                        + e.getValue() + "'");
            }
            out.put(type, interval.get());
        }
        return out;
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static void set(String property, Runnable setter) {
        try {
            setter.run();
        } catch (ConfigurationException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
            throw new ConfigurationException(property + ": " + e.getMessage());
        }
    }
}
