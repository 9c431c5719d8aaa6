package dev.herald.queue.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.engine.spi.QueueEntry;
import dev.herald.engine.spi.QueuedDelivery;
import dev.herald.engine.testing.SettableClock;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The queue on {@code rediss://} urls against Redis's own TLS listener, on a server that requires a
 * password and a client certificate: trust in a private certificate authority and the client's certificate
 * given through {@link RedisDeliveryQueue.Builder#sslContext}, and the failures a host must see clearly
 * (wrong password, no client certificate, server certificate from an authority it does not trust or for
 * another host name).
 */
class RedisTlsTest {

    private static final String PASSWORD = "tls-Secret-4711";
    private static final String OTHER_HOST = "redis.elsewhere.test";
    private static final String PREFIX = "tls";

    @TempDir
    static Path files;

    /** Trusts the test authority and presents a client certificate it issued. */
    private static SSLContext testAuthority;
    /** Trusts the test authority, presents no client certificate. */
    private static SSLContext trustOnly;
    private static SSLContext anotherAuthority;
    /** Presents a certificate for localhost issued by the test authority; wants a client certificate. */
    private static EmbeddedRedis redis;
    /** Presents a certificate for {@value #OTHER_HOST}, issued by the test authority as well. */
    private static EmbeddedRedis misnamed;
    /** On the plain port, to look at what the queue left behind. */
    private static RedisClient inspector;

    @BeforeAll
    static void startRedis() throws Exception {
        X509Bundle authority = authority("CN=Herald test CA");
        X509Bundle client = new CertificateBuilder().subject("CN=herald-app").ecp256()
                .addExtendedKeyUsageClientAuth().buildIssuedBy(authority);
        testAuthority = SSLContext.getInstance("TLS");
        testAuthority.init(client.toKeyManagerFactory().getKeyManagers(),
                authority.toTrustManagerFactory().getTrustManagers(), null);
        trustOnly = trusting(authority);
        anotherAuthority = trusting(authority("CN=Another CA"));
        X509Bundle forOtherHost = serverCertificate(OTHER_HOST, authority);
        // One after the other: each start writes the Redis binary to a file and runs it, and a process
        // forked while another thread still holds that file open for writing makes the run fail with
        // "Text file busy" (ETXTBSY).
        misnamed = EmbeddedRedis.launchWithTls(PASSWORD, forOtherHost, false, files.resolve("other"));
        redis = EmbeddedRedis.launchWithTls(PASSWORD, serverCertificate("localhost", authority), true,
                files.resolve("localhost"));
        inspector = redis.client();
    }

    @AfterAll
    static void stopRedis() {
        if (inspector != null) {
            inspector.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (misnamed != null) {
            misnamed.close();
        }
    }

    @Test
    void offersPollsAndAcknowledgesOverTlsWithAPrivateAuthority() {
        SettableClock clock = new SettableClock();
        try (RedisDeliveryQueue queue = queue("rediss://:" + PASSWORD + "@localhost:" + redis.tlsPort())
                .sslContext(testAuthority).clock(clock).build()) {
            List<String> due = IntStream.range(0, 50).mapToObj(i -> "dlv_tls" + i).toList();
            queue.offer(due.stream().map(id -> new QueuedDelivery(id, clock.instant())).toList());
            queue.offer(List.of(new QueuedDelivery("dlv_later", clock.instant().plusSeconds(60))));

            assertThat(ids(takeAndAck(queue, due.size()))).containsExactlyInAnyOrderElementsOf(due);
            clock.advance(Duration.ofSeconds(60));
            assertThat(ids(takeAndAck(queue, 1))).containsExactly("dlv_later");

            RedisKeys keys = RedisKeys.forPrefix(PREFIX);
            assertThat(inspector.xpending(keys.stream(), RedisDeliveryQueue.DEFAULT_GROUP).getTotal()).isZero();
            assertThat(inspector.xlen(keys.stream())).isZero();
            assertThat(inspector.zcard(keys.delayed())).isZero();
        }
    }

    @Test
    void aWrongPasswordFailsClearlyAndNoPasswordIsShown() throws Exception {
        String wrong = "not-the-Password-0815";
        String url = "rediss://:" + wrong + "@localhost:" + redis.tlsPort();
        RedisDeliveryQueue.Builder builder = queue(url).sslContext(testAuthority);
        ListAppender<ILoggingEvent> logged = captureLogs();
        try (RedisDeliveryQueue queue = builder.build()) {
            assertThatThrownBy(() -> queue.offer(dueNow("dlv_refused")))
                    .isInstanceOf(RedisQueueException.class)
                    .hasMessageContaining("WRONGPASS")
                    .satisfies(e -> assertThat(everything(e)).doesNotContain(wrong, PASSWORD));
            assertThat(queue.poll(1, Duration.ofMillis(50))).isEmpty();
            assertThat(queue.toString()).doesNotContain(wrong);
        } finally {
            stopCapturing(logged);
        }
        assertThat(builder.toString()).doesNotContain(wrong).contains("rediss://localhost:" + redis.tlsPort());
        assertThat(logged.list).isNotEmpty().allSatisfy(event -> assertThat(everything(event)).doesNotContain(wrong, PASSWORD));
    }

    @Test
    void aCertificateFromAnAuthorityNotTrustedIsRefused() {
        String url = "rediss://:" + PASSWORD + "@localhost:" + redis.tlsPort();
        // A context trusting another authority, and no context at all: the JVM's default trust store.
        for (RedisDeliveryQueue.Builder builder : List.of(queue(url).sslContext(anotherAuthority), queue(url))) {
            try (RedisDeliveryQueue queue = builder.build()) {
                assertThatThrownBy(() -> queue.offer(dueNow("dlv_untrusted")))
                        .isInstanceOf(RedisQueueException.class)
                        .hasMessageContaining("SSLHandshakeException")
                        .satisfies(e -> assertThat(causes(e)).hasAtLeastOneElementOfType(SSLHandshakeException.class)
                                .hasAtLeastOneElementOfType(CertPathBuilderException.class));
            }
        }
    }

    @Test
    void withoutAClientCertificateTheServerRefusesTheConnection() {
        try (RedisDeliveryQueue queue = queue("rediss://:" + PASSWORD + "@localhost:" + redis.tlsPort())
                .sslContext(trustOnly).build()) {
            assertThatThrownBy(() -> queue.offer(dueNow("dlv_anonymous")))
                    .isInstanceOf(RedisQueueException.class).hasCauseInstanceOf(JedisConnectionException.class);
        }
    }

    @Test
    void aCertificateForAnotherHostNameIsRefused() {
        // Trusted certificates both: one names another host, the other names localhost but not the IP address.
        for (String url : List.of("rediss://:" + PASSWORD + "@localhost:" + misnamed.tlsPort(),
                "rediss://:" + PASSWORD + "@127.0.0.1:" + redis.tlsPort())) {
            String host = url.substring(url.indexOf('@') + 1, url.lastIndexOf(':'));
            try (RedisDeliveryQueue queue = queue(url).sslContext(testAuthority).build()) {
                assertThatThrownBy(() -> queue.offer(dueNow("dlv_misnamed")))
                        .isInstanceOf(RedisQueueException.class)
                        .hasMessageContaining("SSLHandshakeException")
                        .satisfies(e -> assertThat(causes(e))
                                .anySatisfy(cause -> assertThat(cause).isInstanceOf(CertificateException.class)
                                        .hasMessageContaining(host))
                                .noneMatch(CertPathBuilderException.class::isInstance));
            }
        }
    }

    private static RedisDeliveryQueue.Builder queue(String url) {
        return RedisDeliveryQueue.builder().url(url).keyPrefix(PREFIX).consumer("tls-test")
                .blockTime(Duration.ofMillis(100)).poolSize(2)
                .connectTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(5));
    }

    private static List<QueuedDelivery> dueNow(String id) {
        return List.of(new QueuedDelivery(id, Instant.now()));
    }

    private static List<QueueEntry> takeAndAck(RedisDeliveryQueue queue, int count) {
        List<QueueEntry> taken = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> {
            List<QueueEntry> batch = queue.poll(count - taken.size(), Duration.ofMillis(100));
            queue.ack(batch);
            taken.addAll(batch);
            return taken.size() >= count;
        });
        return taken;
    }

    private static List<String> ids(List<QueueEntry> entries) {
        return entries.stream().map(QueueEntry::deliveryId).toList();
    }

    private static X509Bundle authority(String subject) throws Exception {
        return new CertificateBuilder().subject(subject).ecp256().setIsCertificateAuthority(true).buildSelfSigned();
    }

    private static X509Bundle serverCertificate(String host, X509Bundle authority) throws Exception {
        return new CertificateBuilder().subject("CN=" + host).addSanDnsName(host).ecp256()
                .addExtendedKeyUsageServerAuth().buildIssuedBy(authority);
    }

    private static SSLContext trusting(X509Bundle authority) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, authority.toTrustManagerFactory().getTrustManagers(), null);
        return context;
    }

    /** The exception, its causes and the suppressed exceptions along the way. */
    private static List<Throwable> causes(Throwable thrown) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable t = thrown; t != null && !out.contains(t); t = t.getCause()) {
            out.add(t);
            for (Throwable suppressed : t.getSuppressed()) {
                out.addAll(causes(suppressed));
            }
        }
        return out;
    }

    private static String everything(Throwable thrown) {
        return causes(thrown).stream().map(Throwable::toString).reduce("", (a, b) -> a + "\n" + b);
    }

    private static String everything(ILoggingEvent event) {
        StringBuilder out = new StringBuilder(event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            out.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
        }
        return out.toString();
    }

    private static ListAppender<ILoggingEvent> captureLogs() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(RedisDeliveryQueue.class)).addAppender(appender);
        return appender;
    }

    private static void stopCapturing(ListAppender<ILoggingEvent> appender) {
        ((Logger) LoggerFactory.getLogger(RedisDeliveryQueue.class)).detachAppender(appender);
        appender.stop();
    }
}
