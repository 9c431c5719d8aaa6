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
    /** Where local files go when nothing else is configured: {@code ./data}. */
    public static final String DEFAULT_DATA_DIR = "./data";

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
    private String dataDir = DEFAULT_DATA_DIR;

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

    /**
     * {@code herald.data-dir}: the directory of the demo's local files (its API-key database and, with the
     * JDBC store and no URL, the engine's H2 file). Relative paths start at the working directory.
     */
    public String getDataDir() {
        return dataDir;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }

    /** {@code herald.store.*}: which {@code DeliveryStore} factory runs, and its settings. */
    @ConfigurationProperties("store")
    public static class Store {
        private String kind = StoreKind.JDBC;
        private Jdbc jdbc = new Jdbc();

        public String getKind() {
            return kind;
        }

        public void setKind(String kind) {
            this.kind = kind;
        }

        public Jdbc getJdbc() {
            return jdbc;
        }

        public void setJdbc(Jdbc jdbc) {
            this.jdbc = jdbc;
        }

        /**
         * {@code herald.store.jdbc.*}: the database of the JDBC store. No URL means an H2 file in
         * {@code herald.data-dir}. {@link #toString()} never shows the password.
         */
        @ConfigurationProperties("jdbc")
        public static class Jdbc {
            /** Default size of the connection pool on a configured URL. */
            public static final int DEFAULT_MAXIMUM_POOL_SIZE = 10;

            private String url;
            private String username;
            private String password;
            private int maximumPoolSize = DEFAULT_MAXIMUM_POOL_SIZE;

            /** The JDBC URL ({@code jdbc:postgresql://host:5432/herald}); null or blank for the H2 file. */
            public @Nullable String getUrl() {
                return url;
            }

            public void setUrl(@Nullable String url) {
                this.url = url;
            }

            public @Nullable String getUsername() {
                return username;
            }

            public void setUsername(@Nullable String username) {
                this.username = username;
            }

            public @Nullable String getPassword() {
                return password;
            }

            public void setPassword(@Nullable String password) {
                this.password = password;
            }

            public int getMaximumPoolSize() {
                return maximumPoolSize;
            }

            public void setMaximumPoolSize(int maximumPoolSize) {
                this.maximumPoolSize = maximumPoolSize;
            }

            @Override
            public String toString() {
                return "Jdbc[url=" + (url == null || url.isBlank() ? "(H2 file)" : "(set)")
                        + ", username=" + (username == null ? "" : username) + ", password=(hidden)"
                        + ", maximumPoolSize=" + maximumPoolSize + "]";
            }
        }
    }

    /** {@code herald.queue.*}: which {@code DeliveryQueue} factory runs, and its settings. */
    @ConfigurationProperties("queue")
    public static class Queue {
        private String kind = QueueKind.IN_PROCESS;
        private Redis redis = new Redis();

        public String getKind() {
            return kind;
        }

        public void setKind(String kind) {
            this.kind = kind;
        }

        public Redis getRedis() {
            return redis;
        }

        public void setRedis(Redis redis) {
            this.redis = redis;
        }

        /** {@code herald.queue.redis.*}: where the Redis queue lives. {@link #toString()} hides the URL. */
        @ConfigurationProperties("redis")
        public static class Redis {
            private String url;
            private String keyPrefix = "herald";
            private String consumer;

            /** {@code redis://[[user]:password@]host[:port][/database]} or {@code rediss://...}; required for redis. */
            public @Nullable String getUrl() {
                return url;
            }

            public void setUrl(@Nullable String url) {
                this.url = url;
            }

            /** Prefix of the queue's keys, so several installations share one Redis. Default {@code herald}. */
            public String getKeyPrefix() {
                return keyPrefix;
            }

            public void setKeyPrefix(String keyPrefix) {
                this.keyPrefix = keyPrefix;
            }

            /** This instance's consumer name; null or blank for the host name plus a random suffix. */
            public @Nullable String getConsumer() {
                return consumer;
            }

            public void setConsumer(@Nullable String consumer) {
                this.consumer = consumer;
            }

            @Override
            public String toString() {
                // The URL may carry a password.
                return "Redis[url=" + (url == null || url.isBlank() ? "(none)" : "(set)") + ", keyPrefix=" + keyPrefix
                        + ", consumer=" + consumer + "]";
            }
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
