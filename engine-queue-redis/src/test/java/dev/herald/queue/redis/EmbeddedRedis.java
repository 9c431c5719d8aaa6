package dev.herald.queue.redis;

import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.embedded.RedisServer;

/**
 * A real Redis server (the binary shipped by embedded-redis) on a free port of 127.0.0.1, without
 * persistence, so that a restart loses everything, as a Redis without AOF does. The binary is built with
 * TLS, so a server may also listen for TLS on a second port.
 */
final class EmbeddedRedis implements AutoCloseable {

    private final int port;
    private final int tlsPort;
    private final String password;
    private final RedisServer server;

    private EmbeddedRedis(String password, List<String> tlsSettings, int tlsPort) {
        this.port = freePort();
        this.tlsPort = tlsPort;
        this.password = password;
        List<String> settings = new ArrayList<>(List.of("save \"\"", "appendonly no"));
        if (password != null) {
            settings.add("requirepass " + password);
        }
        settings.addAll(tlsSettings);
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
        return new EmbeddedRedis(null, List.of(), -1);
    }

    /** A started server that requires {@code password}. */
    static EmbeddedRedis launchWithPassword(String password) {
        return new EmbeddedRedis(password, List.of(), -1);
    }

    /**
     * A started server that requires {@code password} and also listens for TLS on {@link #tlsPort()},
     * presenting {@code certificate}. With {@code clientCertificates}, it accepts only clients presenting a
     * certificate issued by the authority that issued its own (Redis's default); otherwise it asks for none.
     * The PEM files Redis reads are written to {@code directory}.
     */
    static EmbeddedRedis launchWithTls(String password, X509Bundle certificate, boolean clientCertificates, Path directory) {
        Path chain = directory.resolve("redis-chain.pem");
        Path key = directory.resolve("redis-key.pem");
        Path authority = directory.resolve("redis-ca.pem");
        try {
            Files.createDirectories(directory);
            Files.writeString(chain, certificate.getCertificatePathPEM());
            Files.writeString(key, certificate.getPrivateKeyPEM());
            Files.writeString(authority, certificate.getRootCertificatePEM());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int tlsPort = freePort();
        return new EmbeddedRedis(password, List.of(
                "tls-port " + tlsPort,
                "tls-cert-file \"" + chain + "\"",
                "tls-key-file \"" + key + "\"",
                "tls-ca-cert-file \"" + authority + "\"",
                "tls-auth-clients " + (clientCertificates ? "yes" : "no")), tlsPort);
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** The TLS port of a server made by {@link #launchWithTls}. */
    int tlsPort() {
        if (tlsPort < 0) {
            throw new IllegalStateException("this server does not listen for TLS");
        }
        return tlsPort;
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
