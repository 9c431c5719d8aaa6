package dev.herald.engine.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engine.model.ErrorKind;
import dev.herald.engine.spi.TransportResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class ResponseClassifierTest {

    static final Instant NOW = Instant.parse("2015-10-21T07:27:00Z");

    static TransportResult.Responded status(int status, String... headerPairs) {
        Map<String, List<String>> headers = new java.util.HashMap<>();
        for (int i = 0; i < headerPairs.length; i += 2) {
            headers.put(headerPairs[i], List.of(headerPairs[i + 1]));
        }
        return new TransportResult.Responded(status, headers, "", Duration.ofMillis(12));
    }

    @ParameterizedTest(name = "HTTP {0} -> {1} {2}")
    @CsvSource({
            "200, SUCCESS,",
            "201, SUCCESS,",
            "204, SUCCESS,",
            "299, SUCCESS,",
            "100, RETRY,  HTTP_STATUS",
            "101, RETRY,  HTTP_STATUS",
            "300, RETRY,  REDIRECT",
            "301, RETRY,  REDIRECT",
            "302, RETRY,  REDIRECT",
            "304, RETRY,  REDIRECT",
            "307, RETRY,  REDIRECT",
            "308, RETRY,  REDIRECT",
            "400, FAIL,   HTTP_STATUS",
            "401, FAIL,   HTTP_STATUS",
            "403, FAIL,   HTTP_STATUS",
            "404, FAIL,   HTTP_STATUS",
            "405, FAIL,   HTTP_STATUS",
            "409, FAIL,   HTTP_STATUS",
            "413, FAIL,   HTTP_STATUS",
            "422, FAIL,   HTTP_STATUS",
            "451, FAIL,   HTTP_STATUS",
            "499, FAIL,   HTTP_STATUS",
            "408, RETRY,  HTTP_STATUS",
            "425, RETRY,  HTTP_STATUS",
            "429, RETRY,  HTTP_STATUS",
            "410, GONE,",
            "500, RETRY,  HTTP_STATUS",
            "502, RETRY,  HTTP_STATUS",
            "503, RETRY,  HTTP_STATUS",
            "504, RETRY,  HTTP_STATUS",
            "599, RETRY,  HTTP_STATUS",
            "-1,  RETRY,  OTHER",
            "0,   RETRY,  OTHER",
            "99,  RETRY,  OTHER",
            "600, RETRY,  OTHER",
            "999, RETRY,  OTHER"})
    void classifiesStatuses(int status, String verdict, ErrorKind kind) {
        Verdict result = ResponseClassifier.classify(status(status), NOW);
        String reason = "HTTP " + status;
        switch (verdict) {
            case "SUCCESS" -> assertThat(result).isEqualTo(new Verdict.Success());
            case "RETRY" -> assertThat(result).isEqualTo(new Verdict.Retry(null, kind, reason));
            case "FAIL" -> assertThat(result).isEqualTo(new Verdict.Fail(kind, reason));
            case "GONE" -> assertThat(result).isEqualTo(new Verdict.Gone(reason));
            default -> throw new AssertionError(verdict);
        }
    }

    @ParameterizedTest
    @EnumSource(ErrorKind.class)
    void everyTransportFailureIsRetriedExceptABlockedAddress(ErrorKind kind) {
        Verdict result = ResponseClassifier.classify(new TransportResult.Failed(kind, "details", Duration.ofSeconds(1)), NOW);
        if (kind == ErrorKind.BLOCKED_ADDRESS) {
            assertThat(result).isEqualTo(new Verdict.Fail(kind, "blocked address"));
        } else {
            assertThat(result).isInstanceOfSatisfying(Verdict.Retry.class, retry -> {
                assertThat(retry.kind()).isEqualTo(kind);
                assertThat(retry.retryAfter()).isNull();
                assertThat(retry.reason()).isNotBlank().hasSizeLessThan(30).doesNotContain("details");
            });
        }
    }

    @Test
    void transportFailureReasonsAreShort() {
        assertThat(ResponseClassifier.classify(new TransportResult.Failed(ErrorKind.TIMEOUT, "read timed out",
                Duration.ofSeconds(30)), NOW)).isEqualTo(new Verdict.Retry(null, ErrorKind.TIMEOUT, "timeout"));
        assertThat(ResponseClassifier.classify(new TransportResult.Failed(null, "?", Duration.ZERO), NOW))
                .isEqualTo(new Verdict.Retry(null, ErrorKind.OTHER, "transport failure"));
    }

    @ParameterizedTest(name = "HTTP {0}, Retry-After {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            429 | 120                           | PT2M
            503 | 120                           | PT2M
            429 | Wed, 21 Oct 2015 07:28:30 GMT | PT1M30S
            503 | Wed, 21 Oct 2015 07:28:30 GMT | PT1M30S
            429 | soon                          |
            429 |                               |
            500 | 120                           |
            502 | 120                           |
            408 | 120                           |
            301 | 120                           |
            """)
    void retryAfterIsReadOn429And503Only(int status, String retryAfter, Duration expected) {
        TransportResult.Responded responded = retryAfter == null ? status(status) : status(status, "retry-after", retryAfter);
        assertThat(ResponseClassifier.classify(responded, NOW))
                .isInstanceOfSatisfying(Verdict.Retry.class, retry -> assertThat(retry.retryAfter()).isEqualTo(expected));
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0                              | PT0S
            120                            | PT2M
            '  60  '                       | PT1M
            86400                          | PT24H
            -5                             |
            +5                             |
            1.5                            |
            1e3                            |
            ''                             |
            99999999999999999999           |
            Wed, 21 Oct 2015 07:28:00 GMT  | PT1M
            Wed, 21 Oct 2015 07:27:00 GMT  | PT0S
            Wed, 21 Oct 2015 07:26:59 GMT  |
            Thu, 22 Oct 2015 07:27:00 GMT  | PT24H
            Wed, 21 Oct 2015 09:27:00 +0200 | PT0S
            Wednesday, 21-Oct-15 07:28:00 GMT |
            Wed Oct 21 07:28:00 2015       |
            2015-10-21T07:28:00Z           |
            """)
    void parsesRetryAfter(String value, Duration expected) {
        assertThat(ResponseClassifier.parseRetryAfter(value, NOW)).isEqualTo(java.util.Optional.ofNullable(expected));
    }

    @Test
    void argumentsAreRequired() {
        assertThatThrownBy(() -> ResponseClassifier.classify(null, NOW))
                .isInstanceOf(NullPointerException.class).hasMessage("result");
        assertThatThrownBy(() -> ResponseClassifier.classify(status(200), null))
                .isInstanceOf(NullPointerException.class).hasMessage("now");
    }
}
