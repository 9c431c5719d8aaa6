package dev.herald.engine.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engine.model.ErrorKind;
import dev.herald.engine.spi.Transport;
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

class JdkHttpTransportTest extends HeraldTransportTest {

    @Override
    protected Transport newTransport(UrlPolicy policy, String userAgent) {
        JdkHttpTransport.Builder builder = JdkHttpTransport.builder().urlPolicy(policy);
        return (userAgent == null ? builder : builder.userAgent(userAgent)).build();
    }

    // ---- the URL policy at send time -------------------------------------------------------------

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

    // ---- headers ---------------------------------------------------------------------------------

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
