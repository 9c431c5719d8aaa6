package dev.herald.engine.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What Herald's own transports promise beyond the {@link TransportContract}: the URL policy applied at send
 * time, the User-Agent, and headers that could change the request's framing or target refused. Each
 * transport's test extends this class.
 */
abstract class HeraldTransportTest extends TransportContract {

    /** A transport under test with this URL policy and User-Agent (null: the default one). */
    protected abstract Transport newTransport(UrlPolicy policy, String userAgent);

    @Override
    protected final Transport newTransport() {
        return newTransport(UrlPolicy.permissive(), null);
    }

    protected static ErrorKind failedKind(TransportResult result) {
        assertThat(result).isInstanceOf(TransportResult.Failed.class);
        return ((TransportResult.Failed) result).kind();
    }

    private TransportResult sendOnce(UrlPolicy policy, TransportRequest request) {
        try (Transport transport = newTransport(policy, null)) {
            return await(transport.send(request));
        }
    }

    // ---- the URL policy, at send time --------------------------------------------------------------

    @Test
    void strictTransportRefusesLoopbackWithoutSendingAnything() {
        assertThat(failedKind(sendOnce(UrlPolicy.strict(), post(url("/ok"), TIMEOUT))))
                .isEqualTo(ErrorKind.BLOCKED_ADDRESS);
        assertThat(received()).isEmpty();
    }

    @Test
    void nameResolvingToPrivateAddressIsRefused() throws UnknownHostException {
        InetAddress internal = InetAddress.getByAddress("hooks.example.com", new byte[] {10, 0, 0, 5});
        UrlPolicy policy = UrlPolicy.builder().resolver(host -> List.of(internal)).build();

        TransportResult result = sendOnce(policy, post(URI.create("https://hooks.example.com/in"), TIMEOUT));

        assertThat(result).isInstanceOfSatisfying(TransportResult.Failed.class, failed -> {
            assertThat(failed.kind()).isEqualTo(ErrorKind.BLOCKED_ADDRESS);
            assertThat(failed.message()).contains("blocked address").doesNotContain("10.0.0.5");
        });
    }

    @Test
    void nameThatDoesNotResolveIsADnsFailure() {
        UrlPolicy policy = UrlPolicy.builder().resolver(host -> {
            throw new UnknownHostException(host);
        }).build();

        assertThat(failedKind(sendOnce(policy, post(URI.create("https://nowhere.example.com/"), TIMEOUT))))
                .isEqualTo(ErrorKind.DNS_FAILURE);
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
        try {
            TransportResult result = sendOnce(policy,
                    post(URI.create("https://slow.example.com/"), Duration.ofMillis(300)));

            assertThat(failedKind(result)).isEqualTo(ErrorKind.TIMEOUT);
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
        try (Transport transport = newTransport(UrlPolicy.permissive(), "Acme-Hooks/2.0")) {
            await(transport.send(post(url("/ok"), TIMEOUT)));
            await(transport.send(new TransportRequest(url("/ok"), Map.of("User-Agent", "Tenant/1"),
                    "{}".getBytes(UTF_8), TIMEOUT)));
        }

        assertThat(received()).extracting(r -> r.header("user-agent")).containsExactly("Acme-Hooks/2.0", "Tenant/1");
    }

    @Test
    void contentTypeIsAlwaysJsonAndLengthIsExact() {
        await(transport().send(new TransportRequest(url("/ok"), Map.of("content-type", "text/plain"),
                "{}".getBytes(UTF_8), TIMEOUT)));

        assertThat(received().get(0).headers().get("content-type")).containsExactly("application/json");
        assertThat(received().get(0).header("content-length")).isEqualTo("2");
    }

    @Test
    void headersThatWouldChangeFramingOrTargetFailTheRequest() {
        for (String name : List.of("Host", "Transfer-Encoding", "Content-Length", "Connection")) {
            TransportResult result = await(transport().send(new TransportRequest(url("/ok"),
                    Map.of(name, "evil.example.com"), "{}".getBytes(UTF_8), TIMEOUT)));

            assertThat(result).as(name).isInstanceOfSatisfying(TransportResult.Failed.class, failed -> {
                assertThat(failed.kind()).isEqualTo(ErrorKind.OTHER);
                assertThat(failed.message()).doesNotContain("evil.example.com");
            });
        }
        assertThat(received()).isEmpty();
    }

    @Test
    void headerValueWithALineBreakFailsTheRequestInsteadOfInjecting() {
        TransportResult result = await(transport().send(new TransportRequest(url("/ok"),
                Map.of("x-tenant", "a\r\nX-Injected: 1"), "{}".getBytes(UTF_8), TIMEOUT)));
        TransportResult badName = await(transport().send(new TransportRequest(url("/ok"),
                Map.of("bad name", "v"), "{}".getBytes(UTF_8), TIMEOUT)));

        assertThat(failedKind(result)).isEqualTo(ErrorKind.OTHER);
        assertThat(failedKind(badName)).isEqualTo(ErrorKind.OTHER);
        assertThat(received()).isEmpty();
    }

    @Test
    void nonPositiveTimeoutFailsTheRequest() {
        assertThat(failedKind(await(transport().send(post(url("/ok"), Duration.ZERO))))).isEqualTo(ErrorKind.OTHER);
        assertThat(received()).isEmpty();
    }
}
