package dev.herald.engine.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engine.ErrorCode;
import dev.herald.engine.HeraldException;
import dev.herald.engine.model.ErrorKind;
import dev.herald.engine.spi.TransportResult;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FailuresTest {

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(new HttpTimeoutException("request timed out"), ErrorKind.TIMEOUT),
                Arguments.of(withCause(new HttpConnectTimeoutException("connect timed out"), new ConnectException()), ErrorKind.TIMEOUT),
                Arguments.of(new CompletionException(new HttpTimeoutException("x")), ErrorKind.TIMEOUT),
                Arguments.of(new ExecutionException(new CompletionException(new HttpTimeoutException("x"))), ErrorKind.TIMEOUT),
                Arguments.of(new ConnectException("Connection refused"), ErrorKind.CONNECTION_REFUSED),
                Arguments.of(new CompletionException(withCause(new ConnectException(), new ConnectException("Connection refused"))),
                        ErrorKind.CONNECTION_REFUSED),
                Arguments.of(new NoRouteToHostException("No route to host"), ErrorKind.CONNECTION_REFUSED),
                Arguments.of(new UnknownHostException("nowhere.example.com"), ErrorKind.DNS_FAILURE),
                Arguments.of(new CompletionException(new UnknownHostException("x")), ErrorKind.DNS_FAILURE),
                Arguments.of(new SSLHandshakeException("PKIX path building failed"), ErrorKind.TLS),
                Arguments.of(new SSLException("Unsupported or unrecognized SSL message"), ErrorKind.TLS),
                Arguments.of(new IOException("wrapped", new SSLHandshakeException("Remote host terminated the handshake")), ErrorKind.TLS),
                Arguments.of(new SocketException("Connection reset"), ErrorKind.CONNECTION_RESET),
                Arguments.of(new IOException("Connection reset by peer"), ErrorKind.CONNECTION_RESET),
                Arguments.of(new SocketException("Broken pipe"), ErrorKind.CONNECTION_RESET),
                Arguments.of(new EOFException(), ErrorKind.CONNECTION_RESET),
                Arguments.of(new IOException("EOF reached while reading"), ErrorKind.CONNECTION_RESET),
                Arguments.of(new IOException("HTTP/1.1 header parser received no bytes"), ErrorKind.CONNECTION_RESET),
                Arguments.of(new IOException("connection closed locally"), ErrorKind.CONNECTION_RESET),
                Arguments.of(new CompletionException(new ClosedChannelException()), ErrorKind.CONNECTION_RESET),
                Arguments.of(new HeraldException(ErrorCode.BLOCKED_URL, "blocked"), ErrorKind.BLOCKED_ADDRESS),
                Arguments.of(new CompletionException(new HeraldException(ErrorCode.INVALID_URL, "only https")), ErrorKind.BLOCKED_ADDRESS),
                Arguments.of(new HeraldException(ErrorCode.INVALID_ARGUMENT, "x"), ErrorKind.OTHER),
                Arguments.of(new IllegalArgumentException("restricted header name: \"Host\""), ErrorKind.OTHER),
                Arguments.of(new IOException("something odd"), ErrorKind.OTHER),
                Arguments.of(new CancellationException(), ErrorKind.OTHER),
                Arguments.of(new RuntimeException(), ErrorKind.OTHER),
                Arguments.of(new CompletionException(null), ErrorKind.OTHER));
    }

    @ParameterizedTest
    @MethodSource("table")
    void classifiesFailures(Throwable error, ErrorKind expected) {
        TransportResult.Failed failed = Failures.of(error, Duration.ofMillis(7));

        assertThat(failed.kind()).isEqualTo(expected);
        assertThat(failed.message()).isNotBlank();
        assertThat(failed.elapsed()).isEqualTo(Duration.ofMillis(7));
    }

    @Test
    void messagesCarryNoUrlOrHeaderValue() {
        List<Throwable> errors = List.of(
                new IOException("failed for https://example.com/?token=s3cr3t"),
                new HttpTimeoutException("timeout for https://example.com/?token=s3cr3t"),
                new ConnectException("https://example.com/?token=s3cr3t"),
                new IllegalArgumentException("invalid header value: Bearer s3cr3t"),
                new RuntimeException("s3cr3t"));

        assertThat(errors).allSatisfy(error -> assertThat(Failures.of(error, Duration.ZERO).message()).doesNotContain("s3cr3t"));
    }

    @Test
    void tlsMessageKeepsAShortReason() {
        TransportResult.Failed failed = Failures.of(new SSLHandshakeException("PKIX path building failed\nmore"), Duration.ZERO);

        assertThat(failed.message()).isEqualTo("TLS handshake failed: PKIX path building failed more");
        assertThat(Failures.of(new SSLException("x".repeat(1000)), Duration.ZERO).message()).hasSizeLessThan(200);
    }

    @Test
    void blockedMessageIsThePolicysOwn() {
        TransportResult.Failed failed = Failures.of(
                new CompletionException(new HeraldException(ErrorCode.BLOCKED_URL, "URL host is a local or internal name")),
                Duration.ZERO);

        assertThat(failed.message()).isEqualTo("URL host is a local or internal name");
    }

    private static <T extends Throwable> T withCause(T error, Throwable cause) {
        error.initCause(cause);
        return error;
    }
}
