package dev.herald.engine.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engine.model.ErrorKind;
import dev.herald.engine.spi.Transport;
import dev.herald.engine.spi.TransportContract;
import dev.herald.engine.spi.TransportRequest;
import dev.herald.engine.spi.TransportResult;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JdkHttpTransportTest extends TransportContract {

    @Override
    protected Transport newTransport() {
        return JdkHttpTransport.builder().urlPolicy(UrlPolicy.permissive()).build();
    }

    // ---- the URL policy at send time -------------------------------------------------------------

    @Test
    void strictTransportRefusesLoopbackWithoutSendingAnything() {
        try (JdkHttpTransport strict = JdkHttpTransport.create()) {
            TransportResult result = await(strict.send(post(url("/ok"), TIMEOUT)));

            assertThat(result).isInstanceOfSatisfying(TransportResult.Failed.class,
                    failed -> assertThat(failed.kind()).isEqualTo(ErrorKind.BLOCKED_ADDRESS));
        }
        assertThat(received()).isEmpty();
    }

    @Test
    void httpAllowedButPrivateBlockedStillRefusesLoopback() {
        UrlPolicy policy = UrlPolicy.builder().allowHttp(true).build();
        try (JdkHttpTransport transport = JdkHttpTransport.builder().urlPolicy(policy).build()) {
            TransportResult result = await(transport.send(post(url("/ok"), TIMEOUT)));

            assertThat(result).isInstanceOfSatisfying(TransportResult.Failed.class, failed -> {
                assertThat(failed.kind()).isEqualTo(ErrorKind.BLOCKED_ADDRESS);
                assertThat(failed.message()).contains("blocked address");
            });
        }
        assertThat(received()).isEmpty();
    }

    @Test
    void nameResolvingToPrivateAddressIsRefusedAtSendTime() throws UnknownHostException {
        InetAddress internal = InetAddress.getByAddress("hooks.example.com", new byte[] {10, 0, 0, 5});
        UrlPolicy policy = UrlPolicy.builder().resolver(host -> List.of(internal)).build();
        try (JdkHttpTransport transport = JdkHttpTransport.builder().urlPolicy(policy).build()) {
            TransportResult result = await(transport.send(post(URI.create("https://hooks.example.com/in"), TIMEOUT)));

            assertThat(result).isInstanceOfSatisfying(TransportResult.Failed.class, failed -> {
                assertThat(failed.kind()).isEqualTo(ErrorKind.BLOCKED_ADDRESS);
                assertThat(failed.message()).doesNotContain("10.0.0.5");
            });
        }
    }

    @Test
    void nameThatDoesNotResolveIsADnsFailure() {
        UrlPolicy policy = UrlPolicy.builder().resolver(host -> {
            throw new UnknownHostException(host);
        }).build();
        try (JdkHttpTransport transport = JdkHttpTransport.builder().urlPolicy(policy).build()) {
            TransportResult result = await(transport.send(post(URI.create("https://nowhere.example.com/"), TIMEOUT)));

            assertThat(result).isInstanceOfSatisfying(TransportResult.Failed.class,
                    failed -> assertThat(failed.kind()).isEqualTo(ErrorKind.DNS_FAILURE));
        }
    }

    @Test
    void requestTimeoutAlsoBoundsASlowResolver() {
        CountDownLatch never = new CountDownLatch(1);
        UrlPolicy policy = UrlPolicy.builder().resolver(host -> {
            try {
                never.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(host);
        }).build();
        try (JdkHttpTransport transport = JdkHttpTransport.builder().urlPolicy(policy).build()) {
            TransportResult result = await(transport.send(post(URI.create("https://slow.example.com/"),
                    Duration.ofMillis(300))));

            assertThat(result).isInstanceOfSatisfying(TransportResult.Failed.class,
                    failed -> assertThat(failed.kind()).isEqualTo(ErrorKind.TIMEOUT));
        } finally {
            never.countDown();
        }
    }

    // ---- headers ---------------------------------------------------------------------------------

    @Test
    void userAgentDefaultsToHeraldAndItsVersion() {
        assertThat(JdkHttpTransport.defaultUserAgent()).startsWith("Herald/").doesNotContain("${").doesNotContain(" ");

        await(transport().send(post(url("/ok"), TIMEOUT)));

        assertThat(received().get(0).header("user-agent")).isEqualTo(JdkHttpTransport.defaultUserAgent());
    }

    @Test
    void configuredUserAgentIsSentAndARequestsOwnWins() {
        try (JdkHttpTransport transport = JdkHttpTransport.builder()
                .urlPolicy(UrlPolicy.permissive()).userAgent("Acme-Hooks/2.0").build()) {
            await(transport.send(post(url("/ok"), TIMEOUT)));
            await(transport.send(new TransportRequest(url("/ok"), Map.of("User-Agent", "Tenant/1"),
                    "{}".getBytes(UTF_8), TIMEOUT)));
        }

        assertThat(received()).extracting(r -> r.header("user-agent")).containsExactly("Acme-Hooks/2.0", "Tenant/1");
    }

    @Test
    void contentTypeIsAlwaysJson() {
        await(transport().send(new TransportRequest(url("/ok"), Map.of("content-type", "text/plain"),
                "{}".getBytes(UTF_8), TIMEOUT)));

        assertThat(received().get(0).headers().get("content-type")).containsExactly("application/json");
    }

    @Test
    void restrictedHeaderFailsTheRequestInsteadOfThrowing() {
        TransportResult result = await(transport().send(new TransportRequest(url("/ok"),
                Map.of("Host", "evil.example.com"), "{}".getBytes(UTF_8), TIMEOUT)));

        assertThat(result).isInstanceOfSatisfying(TransportResult.Failed.class, failed -> {
            assertThat(failed.kind()).isEqualTo(ErrorKind.OTHER);
            assertThat(failed.message()).doesNotContain("evil.example.com");
        });
        assertThat(received()).isEmpty();
    }

    @Test
    void nonPositiveTimeoutFailsTheRequest() {
        TransportResult result = await(transport().send(post(url("/ok"), Duration.ZERO)));

        assertThat(result).isInstanceOfSatisfying(TransportResult.Failed.class,
                failed -> assertThat(failed.kind()).isEqualTo(ErrorKind.OTHER));
        assertThat(received()).isEmpty();
    }

    // ---- threads ---------------------------------------------------------------------------------

    @Test
    void hostExecutorIsUsedAndNotShutDown() {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicInteger tasks = new AtomicInteger();
        try {
            try (JdkHttpTransport transport = JdkHttpTransport.builder().urlPolicy(UrlPolicy.permissive())
                    .executor(task -> {
                        tasks.incrementAndGet();
                        pool.execute(task);
                    }).build()) {
                TransportResult result = await(transport.send(post(url("/ok"), TIMEOUT)));
                assertThat(result).isInstanceOf(TransportResult.Responded.class);
            }
            assertThat(tasks).hasPositiveValue();
            assertThat(pool.isShutdown()).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- builder ---------------------------------------------------------------------------------

    @Test
    void builderRejectsBadArguments() {
        JdkHttpTransport.Builder builder = JdkHttpTransport.builder();

        assertThatThrownBy(() -> builder.connectTimeout(null))
                .isInstanceOf(NullPointerException.class).hasMessage("connectTimeout");
        assertThatThrownBy(() -> builder.connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> builder.connectTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> builder.urlPolicy(null))
                .isInstanceOf(NullPointerException.class).hasMessage("urlPolicy");
        assertThatThrownBy(() -> builder.executor(null))
                .isInstanceOf(NullPointerException.class).hasMessage("executor");
        assertThatThrownBy(() -> builder.userAgent(null))
                .isInstanceOf(NullPointerException.class).hasMessage("userAgent");
        assertThatThrownBy(() -> builder.userAgent(" "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userAgent");
        assertThatThrownBy(() -> builder.userAgent("Herald/1\r\nX-Injected: 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("userAgent");
        try (JdkHttpTransport transport = JdkHttpTransport.create()) {
            assertThatThrownBy(() -> transport.send(null))
                    .isInstanceOf(NullPointerException.class).hasMessage("request");
        }
    }
}
