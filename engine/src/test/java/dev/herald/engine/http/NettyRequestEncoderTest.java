package dev.herald.engine.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NettyRequestEncoderTest {

    private static String encode(String target, Map<String, String> headers, String body) {
        return NettyRequestEncoder.encode(target, "hooks.example.com:8443", headers, body.getBytes(UTF_8), "Herald/1")
                .toString(ISO_8859_1);
    }

    @Test
    void writesTheWholeMessage() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", "msg_1");
        headers.put("Content-Type", "text/plain");
        headers.put("X-Tab", "a\tb");

        assertThat(encode("/in?x=1", headers, "{\"a\":1}")).isEqualTo("POST /in?x=1 HTTP/1.1\r\n"
                + "host: hooks.example.com:8443\r\n"
                + "webhook-id: msg_1\r\n"
                + "X-Tab: a\tb\r\n"
                + "content-type: application/json\r\n"
                + "user-agent: Herald/1\r\n"
                + "content-length: 7\r\n"
                + "\r\n"
                + "{\"a\":1}");
    }

    @Test
    void requestsOwnUserAgentReplacesTheDefault() {
        assertThat(encode("/", Map.of("User-Agent", "Tenant/2"), "")).contains("User-Agent: Tenant/2\r\n")
                .doesNotContain("Herald/1").endsWith("content-length: 0\r\n\r\n");
    }

    @Test
    void nonAsciiTargetIsPercentEncodedAsUtf8() {
        assertThat(encode("/caf\u00e9/\u2615/\uD83D\uDE00", Map.of(), "")).startsWith(
                "POST /caf%C3%A9/%E2%98%95/%F0%9F%98%80 HTTP/1.1\r\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "connection", "Content-Length", "TRANSFER-ENCODING", "expect", "upgrade", "te",
            "trailer", "keep-alive", "proxy-connection"})
    void restrictedHeadersAreRefused(String name) {
        assertThatThrownBy(() -> encode("/", Map.of(name, "x"), ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("restricted header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad name", "bad:name", "", "b\u00e4d", "x\r\ny"})
    void namesThatAreNotTokensAreRefused(String name) {
        assertThatThrownBy(() -> encode("/", Map.of(name, "x"), "")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nX-Injected: 1", "a\nb", "a\u0000b", "a\u007fb", "\u2615"})
    void valuesWithLineBreaksOrControlsAreRefused(String value) {
        assertThatThrownBy(() -> encode("/", Map.of("x-v", value), ""))
                .isInstanceOf(IllegalArgumentException.class).message().doesNotContain(value);
    }

    @Test
    void targetWithASpaceIsRefused() {
        assertThatThrownBy(() -> encode("/a b", Map.of(), "")).isInstanceOf(IllegalArgumentException.class);
    }
}
