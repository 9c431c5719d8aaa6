package dev.herald.demo.config;

import dev.herald.engine.HeraldBuilder;
import dev.herald.engine.retry.RetryPolicyBuilder;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything under {@code herald.} in {@code application.yml}. Defaults here equal the engine's own and the
 * ones written in {@code application.yml}. Bound once at start-up; {@link HeraldSettings} checks it.
 * Not thread-safe while being bound, read-only afterwards.
 */
@ConfigurationProperties("herald")
public class HeraldProperties {
    private Store store = new Store();
    private Queue queue = new Queue();
    private UrlPolicyProperties urlPolicy = new UrlPolicyProperties();
    private Delivery delivery = new Delivery();
    private Retry retry = new Retry();
    private int maxPayloadBytes = HeraldBuilder.DEFAULT_MAX_PAYLOAD_BYTES;
    private List<String> eventTypes = new ArrayList<>();
    private Map<String, String> coalesce = new LinkedHashMap<>();
    private boolean operationalEvents;
    private Demo demo = new Demo();

    public Store getStore() {
        return store;
    }

    public void setStore(Store store) {
        this.store = store;
    }

    public Queue getQueue() {
        return queue;
    }

    public void setQueue(Queue queue) {
        this.queue = queue;
    }

    public UrlPolicyProperties getUrlPolicy() {
        return urlPolicy;
    }

    public void setUrlPolicy(UrlPolicyProperties urlPolicy) {
        this.urlPolicy = urlPolicy;
    }

    public Delivery getDelivery() {
        return delivery;
    }

    public void setDelivery(Delivery delivery) {
        this.delivery = delivery;
    }

    public Retry getRetry() {
        return retry;
    }

    public void setRetry(Retry retry) {
        this.retry = retry;
    }

    public int getMaxPayloadBytes() {
        return maxPayloadBytes;
    }

    public void setMaxPayloadBytes(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public List<String> getEventTypes() {
        return eventTypes;
    }

    public void setEventTypes(List<String> eventTypes) {
        this.eventTypes = eventTypes == null ? new ArrayList<>() : eventTypes;
    }

    /** Coalescing event types and their intervals, as written ({@code download.progress: 1s}). */
    public Map<String, String> getCoalesce() {
        return coalesce;
    }

    public void setCoalesce(@MapFormat(transformation = MapFormat.MapTransformation.FLAT) Map<String, String> coalesce) {
        this.coalesce = coalesce == null ? new LinkedHashMap<>() : coalesce;
    }

    public boolean isOperationalEvents() {
        return operationalEvents;
    }

    public void setOperationalEvents(boolean operationalEvents) {
        this.operationalEvents = operationalEvents;
    }

    public Demo getDemo() {
        return demo;
    }

    public void setDemo(Demo demo) {
        this.demo = demo;
    }

    /** {@code herald.store.*}: which {@code DeliveryStore} factory runs. */
    @ConfigurationProperties("store")
    public static class Store {
        private String kind = StoreKind.MEMORY;

        public String getKind() {
            return kind;
        }

        public void setKind(String kind) {
            this.kind = kind;
        }
    }

    /** {@code herald.queue.*}: which {@code DeliveryQueue} factory runs. */
    @ConfigurationProperties("queue")
    public static class Queue {
        private String kind = QueueKind.IN_PROCESS;

        public String getKind() {
            return kind;
        }

        public void setKind(String kind) {
            this.kind = kind;
        }
    }

    /** {@code herald.url-policy.*}: the guard on endpoint URLs. */
    @ConfigurationProperties("url-policy")
    public static class UrlPolicyProperties {
        private boolean allowHttp;
        private boolean allowPrivateNetworks;

        public boolean isAllowHttp() {
            return allowHttp;
        }

        public void setAllowHttp(boolean allowHttp) {
            this.allowHttp = allowHttp;
        }

        public boolean isAllowPrivateNetworks() {
            return allowPrivateNetworks;
        }

        public void setAllowPrivateNetworks(boolean allowPrivateNetworks) {
            this.allowPrivateNetworks = allowPrivateNetworks;
        }
    }

    /** {@code herald.delivery.*}: concurrency and timing of the workers. */
    @ConfigurationProperties("delivery")
    public static class Delivery {
        private int maxInFlight = HeraldBuilder.DEFAULT_MAX_IN_FLIGHT;
        private int endpointMaxInFlight = HeraldBuilder.DEFAULT_ENDPOINT_MAX_IN_FLIGHT;
        private Duration requestTimeout = HeraldBuilder.DEFAULT_REQUEST_TIMEOUT;
        private Duration lease = HeraldBuilder.DEFAULT_LEASE;
        private Duration sweepInterval = HeraldBuilder.DEFAULT_SWEEP_INTERVAL;
        private Duration shutdownTimeout = HeraldBuilder.DEFAULT_SHUTDOWN_TIMEOUT;

        public int getMaxInFlight() {
            return maxInFlight;
        }

        public void setMaxInFlight(int maxInFlight) {
            this.maxInFlight = maxInFlight;
        }

        public int getEndpointMaxInFlight() {
            return endpointMaxInFlight;
        }

        public void setEndpointMaxInFlight(int endpointMaxInFlight) {
            this.endpointMaxInFlight = endpointMaxInFlight;
        }

        public Duration getRequestTimeout() {
            return requestTimeout;
        }

        public void setRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
        }

        public Duration getLease() {
            return lease;
        }

        public void setLease(Duration lease) {
            this.lease = lease;
        }

        public Duration getSweepInterval() {
            return sweepInterval;
        }

        public void setSweepInterval(Duration sweepInterval) {
            this.sweepInterval = sweepInterval;
        }

        public Duration getShutdownTimeout() {
            return shutdownTimeout;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
        }
    }

    /** {@code herald.retry.*}: the retry schedule. */
    @ConfigurationProperties("retry")
    public static class Retry {
        private List<Duration> delays = new ArrayList<>(RetryPolicyBuilder.DEFAULT_DELAYS);
        private double jitter = RetryPolicyBuilder.DEFAULT_JITTER;

        public List<Duration> getDelays() {
            return delays;
        }

        public void setDelays(List<Duration> delays) {
            this.delays = delays == null ? new ArrayList<>() : delays;
        }

        public double getJitter() {
            return jitter;
        }

        public void setJitter(double jitter) {
            this.jitter = jitter;
        }
    }

    /** {@code herald.demo.*}: the demo tenant and its API key. */
    @ConfigurationProperties("demo")
    public static class Demo {
        private String tenant = "demo";
        private String apiKey;

        public String getTenant() {
            return tenant;
        }

        public void setTenant(String tenant) {
            this.tenant = tenant;
        }

        /** A fixed key for the demo tenant; null to have a new one made and printed at every start. */
        public @Nullable String getApiKey() {
            return apiKey;
        }

        public void setApiKey(@Nullable String apiKey) {
            this.apiKey = apiKey;
        }
    }
}
