package dev.herald.demo.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A real Redis server (the binary shipped by embedded-redis) on a free port of 127.0.0.1, without
 * persistence. Stopped when the test JVM ends, after the application contexts using it have closed.
 */
public final class EmbeddedRedis {
    private final int port;
    private final RedisServer server;

    private EmbeddedRedis() {
        this.port = freePort();
        try {
            this.server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (IOException ignored) {
                // the JVM is ending anyway
            }
        }));
    }

    /** A started server. */
    public static EmbeddedRedis launch() {
        return new EmbeddedRedis();
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
