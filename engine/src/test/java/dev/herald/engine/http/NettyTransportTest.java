package dev.herald.engine.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engine.model.ErrorKind;
import dev.herald.engine.spi.Transport;
import dev.herald.engine.spi.TransportRequest;
import dev.herald.engine.spi.TransportResult;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NettyTransportTest extends HeraldTransportTest {

    private static final String NAME = "hooks.test";
    private static X509Bundle hooksCertificate;
    private static X509Bundle otherCertificate;

    @BeforeAll
    static void certificates() throws Exception {
        hooksCertificate = new CertificateBuilder().subject("CN=" + NAME).addSanDnsName(NAME).ecp256()
                .setIsCertificateAuthority(true).buildSelfSigned();
        otherCertificate = new CertificateBuilder().subject("CN=other.test").addSanDnsName("other.test").ecp256()
                .setIsCertificateAuthority(true).buildSelfSigned();
    }

    @Override
    protected Transport newTransport(UrlPolicy policy, String userAgent) {
        NettyTransport.Builder builder = NettyTransport.builder().urlPolicy(policy);
        return (userAgent == null ? builder : builder.userAgent(userAgent)).build();
    }

    /** A permissive policy whose resolver maps {@link #NAME} to 127.0.0.1 and counts its lookups. */
    private static UrlPolicy localName(AtomicInteger lookups) {
        return UrlPolicy.builder().allowHttp(true).allowPrivateNetworks(true).resolver(host -> {
            lookups.incrementAndGet();
            if (!host.equals(NAME)) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.getByAddress(NAME, new byte[] {127, 0, 0, 1}));
        }).build();
    }

    private static TransportResult.Responded responded(TransportResult result) {
        assertThat(result).isInstanceOf(TransportResult.Responded.class);
        return (TransportResult.Responded) result;
    }

    // ---- the URL policy, at connect time ----------------------------------------------------------

    @Test
    void nameResolvingToLoopbackIsRefusedWithoutAnyConnection() throws Exception {
        UrlPolicy policy = UrlPolicy.builder().allowHttp(true).resolver(
                host -> List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}))).build();
        try (NettyTestServer server = NettyTestServer.plain();
             NettyTransport transport = NettyTransport.builder().urlPolicy(policy).build()) {
            TransportResult result = await(transport.send(
                    post(URI.create("http://rebind.example.com:" + server.port() + "/in"), TIMEOUT)));

            assertThat(failedKind(result)).isEqualTo(ErrorKind.BLOCKED_ADDRESS);
            assertThat(server.accepted()).isZero();
        }
    }

    @Test
    void connectsToTheAddressThePolicyResolvedAndKeepsTheHostName() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        try (NettyTestServer server = NettyTestServer.plain();
             NettyTransport transport = NettyTransport.builder().urlPolicy(localName(lookups)).eventLoopThreads(1)
                     .build()) {
            URI url = URI.create("http://" + NAME + ":" + server.port() + "/in?x=1");
            for (int i = 0; i < 3; i++) {
                assertThat(responded(await(transport.send(post(url, TIMEOUT)))).status()).isEqualTo(200);
            }

            assertThat(server.seen()).extracting(NettyTestServer.Seen::host).containsOnly(NAME + ":" + server.port());
            assertThat(server.seen()).extracting(NettyTestServer.Seen::uri).containsOnly("/in?x=1");
            // One lookup for the one connection; the resolved address is used as is, never looked up again.
            assertThat(lookups).hasValue(1);
            assertThat(server.accepted()).isEqualTo(1);
        }
    }

    // ---- connections -----------------------------------------------------------------------------

    @Test
    void sequentialRequestsReuseAConnectionPerEventLoop() throws Exception {
        try (NettyTestServer server = NettyTestServer.plain()) {
            URI url = URI.create("http://127.0.0.1:" + server.port() + "/hook");
            for (int i = 0; i < 50; i++) {
                assertThat(responded(await(transport().send(post(url, TIMEOUT)))).bodyPrefix()).isEqualTo("accepted");
            }

            assertThat(server.seen()).hasSize(50);
            // Requests are spread over the loops, each with its own pool: one connection per loop at most.
            assertThat(server.accepted()).isBetween(1, NettyTransport.DEFAULT_EVENT_LOOP_THREADS);
        }
    }

    @Test
    void oneEventLoopUsesOneConnectionForSequentialRequests() throws Exception {
        try (NettyTestServer server = NettyTestServer.plain();
             NettyTransport transport = NettyTransport.builder().urlPolicy(UrlPolicy.permissive())
                     .eventLoopThreads(1).build()) {
            URI url = URI.create("http://127.0.0.1:" + server.port() + "/hook");
            for (int i = 0; i < 20; i++) {
                assertThat(responded(await(transport.send(post(url, TIMEOUT)))).status()).isEqualTo(200);
            }

            assertThat(server.accepted()).isEqualTo(1);
        }
    }

    @Test
    void concurrentRequestsStayWithinTheConnectionLimit() throws Exception {
        try (NettyTestServer server = NettyTestServer.plain();
             NettyTransport transport = NettyTransport.builder().urlPolicy(UrlPolicy.permissive())
                     .maxConnectionsPerHost(4).build()) {
            URI url = URI.create("http://127.0.0.1:" + server.port() + "/hook");
            List<CompletableFuture<TransportResult>> sends = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sends.add(transport.send(post(url, TIMEOUT)).toCompletableFuture());
            }

            assertThat(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
            assertThat(sends).allSatisfy(send -> assertThat(responded(send.join()).status()).isEqualTo(200));
            assertThat(server.accepted()).isBetween(1, 4);
        }
    }

    @Test
    void reusedConnectionClosedByTheReceiverIsRetriedOnceOnANewOne() throws Exception {
        try (NettyTestServer server = NettyTestServer.answeringPerConnection(1);
             NettyTransport transport = NettyTransport.builder().urlPolicy(UrlPolicy.permissive())
                     .eventLoopThreads(1).build()) {
            URI url = URI.create("http://127.0.0.1:" + server.port() + "/hook");
            for (int i = 0; i < 3; i++) {
                assertThat(responded(await(transport.send(post(url, TIMEOUT)))).status()).isEqualTo(200);
            }

            // Each connection answers once and hangs up on the next request, which goes again on a new one.
            assertThat(server.accepted()).isEqualTo(3);
            assertThat(server.seen()).hasSize(5);
        }
    }

    @Test
    void freshConnectionHangingUpIsNotRetried() throws Exception {
        try (NettyTestServer server = NettyTestServer.answeringPerConnection(0)) {
            URI url = URI.create("http://127.0.0.1:" + server.port() + "/hook");

            assertThat(failedKind(await(transport().send(post(url, TIMEOUT))))).isEqualTo(ErrorKind.CONNECTION_RESET);
            assertThat(server.seen()).hasSize(1);
        }
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        try (NettyTestServer server = NettyTestServer.plain();
             NettyTransport transport = NettyTransport.builder().urlPolicy(UrlPolicy.permissive())
                     .idleTimeout(Duration.ofMillis(200)).eventLoopThreads(1).build()) {
            URI url = URI.create("http://127.0.0.1:" + server.port() + "/hook");
            assertThat(responded(await(transport.send(post(url, TIMEOUT)))).status()).isEqualTo(200);

            Awaitility.await().atMost(WAIT).until(() -> server.closed() == 1);

            assertThat(responded(await(transport.send(post(url, TIMEOUT)))).status()).isEqualTo(200);
            assertThat(server.accepted()).isEqualTo(2);
        }
    }

    // ---- TLS -------------------------------------------------------------------------------------

    private static SSLContext trusting(X509Bundle certificate) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, certificate.toTrustManagerFactory().getTrustManagers(), null);
        return context;
    }

    @Test
    void httpsWithATrustedCertificateSendsTheHostNameAsSni() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        try (NettyTestServer server = NettyTestServer.tls(hooksCertificate.toKeyManagerFactory());
             NettyTransport transport = NettyTransport.builder().urlPolicy(localName(lookups))
                     .sslContext(trusting(hooksCertificate)).eventLoopThreads(1).build()) {
            URI url = URI.create("https://" + NAME + ":" + server.port() + "/secure");

            TransportResult.Responded first = responded(await(transport.send(post(url, TIMEOUT))));
            TransportResult.Responded second = responded(await(transport.send(post(url, TIMEOUT))));

            assertThat(first.bodyPrefix()).isEqualTo("accepted");
            assertThat(second.status()).isEqualTo(200);
            assertThat(server.seen()).containsOnly(new NettyTestServer.Seen(NAME + ":" + server.port(), "/secure", NAME));
            assertThat(server.accepted()).isEqualTo(1);
        }
    }

    @Test
    void certificateForAnotherNameIsRefusedAsTls() throws Exception {
        try (NettyTestServer server = NettyTestServer.tls(otherCertificate.toKeyManagerFactory());
             NettyTransport transport = NettyTransport.builder().urlPolicy(localName(new AtomicInteger()))
                     .sslContext(trusting(otherCertificate)).build()) {
            TransportResult result = await(transport.send(
                    post(URI.create("https://" + NAME + ":" + server.port() + "/secure"), TIMEOUT)));

            assertThat(failedKind(result)).isEqualTo(ErrorKind.TLS);
            assertThat(server.seen()).isEmpty();
        }
    }

    @Test
    void untrustedCertificateIsRefusedAsTls() throws Exception {
        try (NettyTestServer server = NettyTestServer.tls(hooksCertificate.toKeyManagerFactory());
             NettyTransport transport = NettyTransport.builder().urlPolicy(localName(new AtomicInteger())).build()) {
            TransportResult result = await(transport.send(
                    post(URI.create("https://" + NAME + ":" + server.port() + "/secure"), TIMEOUT)));

            assertThat(failedKind(result)).isEqualTo(ErrorKind.TLS);
            assertThat(server.seen()).isEmpty();
        }
    }

    // ---- headers ---------------------------------------------------------------------------------

    // ---- threads ---------------------------------------------------------------------------------

    @Test
    void hostEventLoopGroupIsUsedAndNotShutDown() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("host-loop"),
                NioIoHandler.newFactory());
        List<String> threads = new CopyOnWriteArrayList<>();
        try {
            try (NettyTransport transport = NettyTransport.builder().urlPolicy(UrlPolicy.permissive())
                    .eventLoopGroup(group).build()) {
                // A receiver that never answers: the request's timer ends it on the event loop, long after
                // the stage below is attached. (A fast answer could complete the future first, and the stage
                // would then run on this thread.)
                TransportResult result = await(transport.send(post(url("/hang"), Duration.ofMillis(300)))
                        .thenApply(r -> {
                            threads.add(Thread.currentThread().getName());
                            return r;
                        }));
                assertThat(result).isInstanceOfSatisfying(TransportResult.Failed.class,
                        failed -> assertThat(failed.kind()).isEqualTo(ErrorKind.TIMEOUT));
            }
            assertThat(threads).singleElement().asString().startsWith("host-loop");
            assertThat(group.isShuttingDown()).isFalse();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    // ---- builder ---------------------------------------------------------------------------------

    @Test
    void builderRejectsBadArguments() {
        NettyTransport.Builder builder = NettyTransport.builder();

        assertThatThrownBy(() -> builder.connectTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessage("connectTimeout");
        assertThatThrownBy(() -> builder.connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> builder.idleTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessage("idleTimeout");
        assertThatThrownBy(() -> builder.idleTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> builder.urlPolicy(null))
                .isInstanceOf(NullPointerException.class).hasMessage("urlPolicy");
        assertThatThrownBy(() -> builder.sslContext(null))
                .isInstanceOf(NullPointerException.class).hasMessage("sslContext");
        assertThatThrownBy(() -> builder.userAgent(null))
                .isInstanceOf(NullPointerException.class).hasMessage("userAgent");
        assertThatThrownBy(() -> builder.userAgent("Herald/1\r\nX-Injected: 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userAgent");
        assertThatThrownBy(() -> builder.eventLoopThreads(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 256]");
        assertThatThrownBy(() -> builder.eventLoopThreads(257))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 256]");
        assertThatThrownBy(() -> builder.maxConnectionsPerHost(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[1, 10000]");
        assertThatThrownBy(() -> builder.eventLoopGroup(null))
                .isInstanceOf(NullPointerException.class).hasMessage("eventLoopGroup");
        DefaultEventLoopGroup local = new DefaultEventLoopGroup(1);
        try {
            assertThatThrownBy(() -> builder.eventLoopGroup(local))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NIO");
        } finally {
            local.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        try (NettyTransport transport = NettyTransport.create()) {
            assertThatThrownBy(() -> transport.send(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("request");
        }
    }

    @Test
    void eventLoopThreadsAndGroupExcludeEachOther() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            assertThatThrownBy(() -> NettyTransport.builder().eventLoopThreads(2).eventLoopGroup(group))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("eventLoopThreads");
            assertThatThrownBy(() -> NettyTransport.builder().eventLoopGroup(group).eventLoopThreads(2))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("eventLoopGroup");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
