package dev.herald.queue.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

class RedisDeliveryQueueBuilderTest {

    private static RedisDeliveryQueue.Builder builder() {
        return RedisDeliveryQueue.builder();
    }

    @Test
    void missingArgumentsAreNamed() {
        assertThatThrownBy(() -> builder().url(null)).isInstanceOf(NullPointerException.class).hasMessage("url");
        assertThatThrownBy(() -> builder().client(null)).isInstanceOf(NullPointerException.class).hasMessage("client");
        assertThatThrownBy(() -> builder().keyPrefix(null)).isInstanceOf(NullPointerException.class).hasMessage("keyPrefix");
        assertThatThrownBy(() -> builder().group(null)).isInstanceOf(NullPointerException.class).hasMessage("group");
        assertThatThrownBy(() -> builder().consumer(null)).isInstanceOf(NullPointerException.class).hasMessage("consumer");
        assertThatThrownBy(() -> builder().blockTime(null)).isInstanceOf(NullPointerException.class).hasMessage("blockTime");
        assertThatThrownBy(() -> builder().claimIdle(null)).isInstanceOf(NullPointerException.class).hasMessage("claimIdle");
        assertThatThrownBy(() -> builder().connectTimeout(null)).isInstanceOf(NullPointerException.class).hasMessage("connectTimeout");
        assertThatThrownBy(() -> builder().socketTimeout(null)).isInstanceOf(NullPointerException.class).hasMessage("socketTimeout");
        assertThatThrownBy(() -> builder().poolMaxWait(null)).isInstanceOf(NullPointerException.class).hasMessage("poolMaxWait");
        assertThatThrownBy(() -> builder().clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
        assertThatThrownBy(() -> builder().sslContext(null)).isInstanceOf(NullPointerException.class).hasMessage("sslContext");
    }

    @Test
    void valuesOutOfRangeAreRefused() {
        assertThatThrownBy(() -> builder().url("http://localhost:6379")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().url("redis://")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().url("redis://:pa ss@host")).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pa ss"));
        assertThatThrownBy(() -> builder().keyPrefix("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().keyPrefix("a{b}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().keyPrefix("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().group("two words")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().consumer("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().blockTime(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blockTime");
        assertThatThrownBy(() -> builder().blockTime(Duration.ofMinutes(2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().claimIdle(Duration.ofMillis(9))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().streamMaxLength(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().poolSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().poolSize(1025)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().poolMinIdle(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().connectTimeout(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().socketTimeout(Duration.ofMinutes(6))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().poolMaxWait(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder().sslContext(SSLContext.getInstance("TLS"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initialised");
    }

    @Test
    void clashesAreRefused() throws Exception {
        SSLContext tls = SSLContext.getDefault();
        try (RedisClient client = RedisClient.create("127.0.0.1", 1)) {
            assertThatThrownBy(() -> builder().url("redis://localhost").client(client))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("url");
            assertThatThrownBy(() -> builder().client(client).url("redis://localhost"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("client");
            assertThatThrownBy(() -> builder().client(client).poolSize(4))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("poolSize");
            assertThatThrownBy(() -> builder().socketTimeout(Duration.ofSeconds(1)).client(client))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("socketTimeout");
            assertThatThrownBy(() -> builder().client(client).sslContext(tls))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("sslContext").hasMessageContaining("client");
            assertThatThrownBy(() -> builder().sslContext(tls).client(client))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("sslContext").hasMessageContaining("client");
        }
        assertThatThrownBy(() -> builder().url("redis://localhost").sslContext(tls))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sslContext").hasMessageContaining("redis://");
        assertThatThrownBy(() -> builder().sslContext(tls).url("redis://localhost"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sslContext").hasMessageContaining("redis://");
        assertThatThrownBy(() -> builder().url("rediss://localhost").sslContext(tls).url("redis://localhost"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sslContext");
        RedisDeliveryQueue.Builder changedBehindTheSetters = builder().url("rediss://localhost").sslContext(tls);
        changedBehindTheSetters.url = URI.create("redis://localhost");
        assertThatThrownBy(changedBehindTheSetters::build)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("sslContext").hasMessageContaining("redis://");
        assertThatThrownBy(() -> builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder().url("redis://localhost").poolSize(2).poolMinIdle(3).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("poolMinIdle").hasMessageContaining("poolSize");
    }

    @Test
    void theUrlSetsCredentialsDatabaseAndTls() {
        RedisDeliveryQueue.Builder settings = builder().url("rediss://app:pw@redis.example:6380/3");
        DefaultJedisClientConfig config = RedisClients.clientConfig(settings.url, settings);
        assertThat(config.isSsl()).isTrue();
        assertThat(config.getUser()).isEqualTo("app");
        assertThat(config.getPassword()).isEqualTo("pw");
        assertThat(config.getDatabase()).isEqualTo(3);
        assertThat(config.getSocketTimeoutMillis()).isEqualTo(2_000);
        assertThat(config.getBlockingSocketTimeoutMillis()).isEqualTo(2_500);

        DefaultJedisClientConfig plain = RedisClients.clientConfig(URI.create("redis://localhost"), builder());
        assertThat(plain.isSsl()).isFalse();
        assertThat(plain.getPassword()).isNull();
        assertThat(settings.toString()).doesNotContain("pw").contains("rediss://redis.example:6380");
    }

    @Test
    void tlsVerifiesTheHostNameAndUsesTheGivenContext() throws Exception {
        DefaultJedisClientConfig jvmTrust = RedisClients.clientConfig(URI.create("rediss://redis.example"), builder());
        assertThat(jvmTrust.getSslParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(jvmTrust.getSslSocketFactory()).as("the JVM's default").isNull();

        RedisDeliveryQueue.Builder settings = builder().url("rediss://redis.example").sslContext(SSLContext.getDefault());
        DefaultJedisClientConfig ownTrust = RedisClients.clientConfig(settings.url, settings);
        assertThat(ownTrust.isSsl()).isTrue();
        assertThat(ownTrust.getSslParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(ownTrust.getSslSocketFactory()).isNotNull();

        DefaultJedisClientConfig plain = RedisClients.clientConfig(URI.create("redis://redis.example"), builder());
        assertThat(plain.getSslParameters()).isNull();
        assertThat(plain.getSslSocketFactory()).isNull();
    }

    @Test
    void aGivenClientIsLeftOpenAndADefaultConsumerNameIsMade() {
        try (RedisClient client = RedisClient.create("127.0.0.1", 1)) {
            RedisDeliveryQueue one = builder().client(client).build();
            RedisDeliveryQueue two = builder().client(client).build();
            assertThat(one.consumer()).isNotBlank().doesNotContainAnyWhitespaces().isNotEqualTo(two.consumer());
            assertThat(one.toString()).contains("keyPrefix=herald", "group=herald-workers");
        }
    }
}
