package dev.herald.queue.redis;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLParameters;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisURIHelper;

/** Makes the pooled client of a queue configured with a URL. */
final class RedisClients {

    private RedisClients() {
    }

    /**
     * Client settings from the URL (user, password, database, TLS for {@code rediss}) and the timeouts.
     * A blocking read may take {@code blockTime} on top of the socket timeout before it counts as hung.
     * Over TLS the server's certificate must name the URL's host; the trust comes from the configured
     * SSL context, else from the JVM's default one.
     */
    static DefaultJedisClientConfig clientConfig(URI url, RedisDeliveryQueue.Builder settings) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis(settings.connectTimeout))
                .socketTimeoutMillis(millis(settings.socketTimeout))
                .blockingSocketTimeoutMillis(millis(settings.socketTimeout.plus(settings.blockTime)));
        if (RedisDeliveryQueue.Builder.isTls(url)) {
            // Said explicitly rather than left to the client: Jedis only turned it on by default in later versions.
            SSLParameters verifyHostName = new SSLParameters();
            verifyHostName.setEndpointIdentificationAlgorithm("HTTPS");
            config.ssl(true).sslParameters(verifyHostName);
            if (settings.sslContext != null) {
                config.sslSocketFactory(settings.sslContext.getSocketFactory());
            }
        }
        String user = JedisURIHelper.getUser(url);
        String password = JedisURIHelper.getPassword(url);
        if (user != null) {
            config.user(user);
        }
        if (password != null) {
            config.password(password);
        }
        if (JedisURIHelper.hasDbIndex(url)) {
            config.database(JedisURIHelper.getDBIndex(url));
        }
        return config.build();
    }

    static RedisClient create(URI url, RedisDeliveryQueue.Builder settings) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(settings.poolSize);
        pool.setMaxIdle(settings.poolSize);
        pool.setMinIdle(settings.poolMinIdle);
        pool.setMaxWait(settings.poolMaxWait);
        // Idle connections are checked in the background, so few stale ones survive a Redis restart; the
        // queue retries once past a stale one instead of testing every borrow, which would double round trips.
        pool.setTestWhileIdle(true);
        pool.setTimeBetweenEvictionRuns(Duration.ofSeconds(30));
        return RedisClient.builder()
                .hostAndPort(JedisURIHelper.getHostAndPort(url))
                .clientConfig(clientConfig(url, settings))
                .poolConfig(pool)
                .build();
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
    }
}
