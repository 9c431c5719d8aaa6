package dev.herald.queue.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/**
 * A real Redis server (the binary shipped by embedded-redis) on a free port of 127.0.0.1, without
 * persistence, so that a restart loses everything, as a Redis without AOF does.
 */
final class EmbeddedRedis implements AutoCloseable {

    private final int port;
    private final String password;
    private final RedisServer server;

    private EmbeddedRedis(String password) {
        this.port = freePort();
        this.password = password;
        List<String> settings = new ArrayList<>(List.of("save \"\"", "appendonly no"));
        if (password != null) {
            settings.add("requirepass " + password);
        }
        try {
            var builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1");
            settings.forEach(builder::setting);
            this.server = builder.build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    /** A started server without a password. */
    static EmbeddedRedis launch() {
        return new EmbeddedRedis(null);
    }

    /** A started server that requires {@code password}. */
    static EmbeddedRedis launchWithPassword(String password) {
        return new EmbeddedRedis(password);
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** A client for looking at what the queue left in Redis. */
    RedisClient client() {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder();
        if (password != null) {
            config.password(password);
        }
        return RedisClient.builder().hostAndPort("127.0.0.1", port).clientConfig(config.build()).build();
    }

    void start() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (server.isActive()) {
            stop();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
