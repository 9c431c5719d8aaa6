package dev.herald.engine.signing;

import static dev.herald.engine.signing.WebhookSignerTest.MSG_ID;
import static dev.herald.engine.signing.WebhookSignerTest.PAYLOAD;
import static dev.herald.engine.signing.WebhookSignerTest.TIMESTAMP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.herald.engine.ErrorCode;
import dev.herald.engine.HeraldException;
import dev.herald.engine.signing.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookVerifierTest {

    static final String OLD_SECRET = SigningKeyTest.OFFICIAL_SECRET;
    static final String NEW_SECRET = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'Q');

    final WebhookSigner signer = new WebhookSigner();

    static Clock at(long epochSeconds) {
        return Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
    }

    static WebhookVerifier verifier(String... secrets) {
        WebhookVerifier.Builder builder = WebhookVerifier.builder().clock(at(TIMESTAMP + 3));
        for (String secret : secrets) {
            builder.secret(secret);
        }
        return builder.build();
    }

    /** Headers as sent, then edited; keys are lower-cased as HTTP/2 and most servers present them. */
    Map<String, String> signed(List<String> secrets, Consumer<Map<String, String>> edit) {
        List<SigningKey> keys = secrets.stream().map(SigningKey::parse).toList();
        Map<String, String> headers = new HashMap<>();
        signer.sign(keys, MSG_ID, TIMESTAMP, "upload.completed", PAYLOAD)
                .forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
        edit.accept(headers);
        return headers;
    }

    static Reason reasonOf(WebhookVerifier verifier, Map<String, String> headers, byte[] body) {
        WebhookVerificationException e = catchThrowableOfType(WebhookVerificationException.class,
                () -> verifier.verify(headers::get, body));
        assertThat(e).as("verification should fail").isNotNull();
        return e.reason();
    }

    static void withoutCompatible(Map<String, String> headers) {
        headers.remove("x-webhook-signature");
    }

    static void withoutStandard(Map<String, String> headers) {
        headers.remove("webhook-signature");
    }

    @Test
    void acceptsThePublishedStandardWebhooksVector() {
        Map<String, String> headers = Map.of(
                "webhook-id", MSG_ID,
                "webhook-timestamp", Long.toString(TIMESTAMP),
                "webhook-signature", WebhookSignerTest.EXPECTED_V1);
        assertThatCode(() -> verifier(OLD_SECRET).verify(headers::get, PAYLOAD)).doesNotThrowAnyException();
    }

    @Test
    void roundTripsEachSchemeOnItsOwn() {
        WebhookVerifier verifier = verifier(OLD_SECRET);
        assertThatCode(() -> verifier.verify(signed(List.of(OLD_SECRET), h -> { })::get, PAYLOAD))
                .doesNotThrowAnyException();
        assertThatCode(() -> verifier.verify(signed(List.of(OLD_SECRET), WebhookVerifierTest::withoutCompatible)::get,
                PAYLOAD)).doesNotThrowAnyException();
        Map<String, String> compatibleOnly = signed(List.of(OLD_SECRET), h -> {
            withoutStandard(h);
            h.remove("webhook-id");
            h.remove("webhook-timestamp");
        });
        assertThatCode(() -> verifier.verify(compatibleOnly::get, PAYLOAD)).doesNotThrowAnyException();
    }

    @Test
    void plainSecretVerifiesInBothSchemes() {
        WebhookVerifier verifier = verifier("my_webhook_secret_1");
        Map<String, String> standardOnly = signed(List.of("my_webhook_secret_1"), WebhookVerifierTest::withoutCompatible);
        Map<String, String> compatibleOnly = signed(List.of("my_webhook_secret_1"), WebhookVerifierTest::withoutStandard);
        assertThatCode(() -> verifier.verify(standardOnly::get, PAYLOAD)).doesNotThrowAnyException();
        assertThatCode(() -> verifier.verify(compatibleOnly::get, PAYLOAD)).doesNotThrowAnyException();
    }

    @Test
    void duringRotationAVerifierKnowingEitherSecretAccepts() {
        for (Consumer<Map<String, String>> scheme : List.<Consumer<Map<String, String>>>of(
                WebhookVerifierTest::withoutCompatible, WebhookVerifierTest::withoutStandard)) {
            Map<String, String> headers = signed(List.of(NEW_SECRET, OLD_SECRET), scheme);
            assertThatCode(() -> verifier(OLD_SECRET).verify(headers::get, PAYLOAD)).doesNotThrowAnyException();
            assertThatCode(() -> verifier(NEW_SECRET).verify(headers::get, PAYLOAD)).doesNotThrowAnyException();
            assertThat(reasonOf(verifier("another_secret_of_mine"), headers, PAYLOAD))
                    .isEqualTo(Reason.NO_MATCHING_SIGNATURE);
        }
        // The receiver rotates too: it knows both, the sender still signs with the old one only.
        Map<String, String> oldOnly = signed(List.of(OLD_SECRET), h -> { });
        assertThatCode(() -> verifier(NEW_SECRET, OLD_SECRET).verify(oldOnly::get, PAYLOAD)).doesNotThrowAnyException();
    }

    @Test
    void acceptsAListWithOtherVersionsAndWrongSignatures() {
        Map<String, String> headers = signed(List.of(OLD_SECRET), h -> h.put("webhook-signature", String.join(" ",
                "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
                "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
                h.get("webhook-signature"),
                "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=")));
        assertThatCode(() -> verifier(OLD_SECRET).verify(headers::get, PAYLOAD)).doesNotThrowAnyException();
    }

    @Test
    void tamperedBodyFailsInBothSchemes() {
        byte[] tampered = "{\"test\": 2432232315}".getBytes(StandardCharsets.UTF_8);
        assertThat(reasonOf(verifier(OLD_SECRET), signed(List.of(OLD_SECRET), h -> { }), tampered))
                .isEqualTo(Reason.NO_MATCHING_SIGNATURE);
        assertThat(reasonOf(verifier(OLD_SECRET), signed(List.of(OLD_SECRET), WebhookVerifierTest::withoutStandard),
                tampered)).isEqualTo(Reason.NO_MATCHING_SIGNATURE);
    }

    @Test
    void tamperedIdOrTimestampFails() {
        assertThat(reasonOf(verifier(OLD_SECRET), signed(List.of(OLD_SECRET), h -> h.put("webhook-id", "msg_other")),
                PAYLOAD)).isEqualTo(Reason.NO_MATCHING_SIGNATURE);
        assertThat(reasonOf(verifier(OLD_SECRET),
                signed(List.of(OLD_SECRET), h -> h.put("webhook-timestamp", Long.toString(TIMESTAMP + 1))), PAYLOAD))
                .isEqualTo(Reason.NO_MATCHING_SIGNATURE);
    }

    @Test
    void aFailingStandardSignatureDoesNotFallBackToTheCompatibleOne() {
        Map<String, String> headers = signed(List.of(OLD_SECRET),
                h -> h.put("webhook-signature", "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="));
        assertThat(reasonOf(verifier(OLD_SECRET), headers, PAYLOAD)).isEqualTo(Reason.NO_MATCHING_SIGNATURE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no signature header          | webhook-signature, x-webhook-signature |
            standard without id          | webhook-id                              |
            standard without timestamp   | webhook-timestamp                       |
            standard with blank id       |                                         | webhook-id=
            """)
    void missingHeaders(String name, String remove, String set) {
        Map<String, String> headers = signed(List.of(OLD_SECRET), h -> {
            if (remove != null) {
                for (String header : remove.split(",")) {
                    h.remove(header.strip());
                }
            }
            if (set != null) {
                h.put(set.substring(0, set.indexOf('=')), set.substring(set.indexOf('=') + 1));
            }
        });
        assertThat(reasonOf(verifier(OLD_SECRET), headers, PAYLOAD)).isEqualTo(Reason.MISSING_HEADERS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hello", "-1614265330", "+1614265330", "1614265330.5", "1.6e9", "1234567890123456789", "0x60"})
    void invalidTimestamps(String timestamp) {
        Map<String, String> headers = signed(List.of(OLD_SECRET), h -> h.put("webhook-timestamp", timestamp));
        assertThat(reasonOf(verifier(OLD_SECRET), headers, PAYLOAD)).isEqualTo(Reason.INVALID_TIMESTAMP);
    }

    @ParameterizedTest(name = "clock at timestamp {0}s")
    @CsvSource({
            "-301, TIMESTAMP_TOO_NEW",
            "-300, OK",
            "0,    OK",
            "300,  OK",
            "301,  TIMESTAMP_TOO_OLD",
            "86400, TIMESTAMP_TOO_OLD"})
    void timestampMustLieWithinTheToleranceBothWays(long clockOffset, String expected) {
        WebhookVerifier verifier = WebhookVerifier.builder().secret(OLD_SECRET).clock(at(TIMESTAMP + clockOffset)).build();
        Map<String, String> headers = signed(List.of(OLD_SECRET), h -> { });
        if (expected.equals("OK")) {
            assertThatCode(() -> verifier.verify(headers::get, PAYLOAD)).doesNotThrowAnyException();
        } else {
            assertThat(reasonOf(verifier, headers, PAYLOAD)).isEqualTo(Reason.valueOf(expected));
        }
    }

    @Test
    void toleranceIsConfigurable() {
        WebhookVerifier strict = WebhookVerifier.builder().secret(OLD_SECRET).tolerance(Duration.ofSeconds(10))
                .clock(at(TIMESTAMP + 11)).build();
        assertThat(reasonOf(strict, signed(List.of(OLD_SECRET), h -> { }), PAYLOAD)).isEqualTo(Reason.TIMESTAMP_TOO_OLD);
        WebhookVerifier lenient = WebhookVerifier.builder().secret(OLD_SECRET).tolerance(Duration.ofHours(1))
                .clock(at(TIMESTAMP + 3600)).build();
        assertThatCode(() -> lenient.verify(signed(List.of(OLD_SECRET), h -> { })::get, PAYLOAD))
                .doesNotThrowAnyException();
        assertThat(WebhookVerifier.DEFAULT_TOLERANCE).isEqualTo(Duration.ofMinutes(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1,dawfeoifkpqwoekfpqoekf", "v1,", "v1", "", "   ", "garbage",
            "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            "v1,AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==", "v1,AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g"})
    void malformedStandardSignatures(String signature) {
        Map<String, String> headers = signed(List.of(OLD_SECRET), h -> h.put("webhook-signature", signature));
        assertThat(reasonOf(verifier(OLD_SECRET), headers, PAYLOAD)).isEqualTo(Reason.MALFORMED_SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256=zz", "sha256=", "md5=e2cb4f5251572539d458bfb8a7adb533",
            "e2cb4f5251572539d458bfb8a7adb533b08801e6a794467e06f771debbb0818b",
            "sha256=e2cb4f5251572539d458bfb8a7adb533b08801e6a794467e06f771debbb0818"})
    void malformedCompatibleSignatures(String signature) {
        Map<String, String> headers = signed(List.of(OLD_SECRET), h -> {
            withoutStandard(h);
            h.put("x-webhook-signature", signature);
        });
        assertThat(reasonOf(verifier(OLD_SECRET), headers, PAYLOAD)).isEqualTo(Reason.MALFORMED_SIGNATURE);
    }

    @Test
    void compatibleSignatureInUpperCaseHexIsAccepted() {
        Map<String, String> headers = signed(List.of(OLD_SECRET), h -> {
            withoutStandard(h);
            h.put("x-webhook-signature", "sha256=" + h.get("x-webhook-signature").substring(7).toUpperCase(Locale.ROOT));
        });
        assertThatCode(() -> verifier(OLD_SECRET).verify(headers::get, PAYLOAD)).doesNotThrowAnyException();
    }

    @Test
    void compatibleSchemeCanBeRefused() {
        WebhookVerifier standardOnly = WebhookVerifier.builder().secret(OLD_SECRET).clock(at(TIMESTAMP))
                .acceptCompatibleScheme(false).build();
        assertThat(reasonOf(standardOnly, signed(List.of(OLD_SECRET), WebhookVerifierTest::withoutStandard), PAYLOAD))
                .isEqualTo(Reason.MISSING_HEADERS);
        assertThatCode(() -> standardOnly.verify(signed(List.of(OLD_SECRET), h -> { })::get, PAYLOAD))
                .doesNotThrowAnyException();
    }

    @Test
    void multiValuedMapIsReadCaseInsensitivelyAndRepeatedSignaturesJoined() {
        Map<String, String> sent = signed(List.of(OLD_SECRET), h -> { });
        Map<String, List<String>> headers = new TreeMap<>();
        headers.put("Webhook-Id", List.of(sent.get("webhook-id")));
        headers.put("WEBHOOK-TIMESTAMP", List.of(sent.get("webhook-timestamp")));
        headers.put("Webhook-Signature", List.of("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", sent.get("webhook-signature")));
        headers.put("Content-Type", List.of("application/json"));
        assertThatCode(() -> verifier(OLD_SECRET).verify(headers, PAYLOAD)).doesNotThrowAnyException();

        Map<String, List<String>> compatibleOnly = Map.of("X-WEBHOOK-SIGNATURE", List.of(sent.get("x-webhook-signature")));
        assertThatCode(() -> verifier(OLD_SECRET).verify(compatibleOnly, PAYLOAD)).doesNotThrowAnyException();
        assertThatThrownBy(() -> verifier(OLD_SECRET).verify(Map.<String, List<String>>of(), PAYLOAD))
                .isInstanceOfSatisfying(WebhookVerificationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_HEADERS));
    }

    @Test
    void failureMessagesHoldNoSecretOrSignature() {
        Map<String, String> headers = signed(List.of(OLD_SECRET), h -> { });
        WebhookVerificationException e = catchThrowableOfType(WebhookVerificationException.class,
                () -> verifier("my_webhook_secret_1").verify(headers::get, PAYLOAD));
        assertThat(e.getMessage()).doesNotContain("my_webhook_secret_1").doesNotContain("MfKQ9r8G")
                .doesNotContain(headers.get("webhook-signature").substring(3, 20));
        assertThat(verifier(OLD_SECRET).toString()).doesNotContain("MfKQ9r8G");
    }

    @Test
    void builderChecksEveryArgument() {
        assertThatThrownBy(() -> WebhookVerifier.builder().build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("secret");
        assertThatThrownBy(() -> WebhookVerifier.builder().secret(null))
                .isInstanceOf(NullPointerException.class).hasMessage("secret");
        assertThatThrownBy(() -> WebhookVerifier.builder().secret("whsec_not*base64"))
                .isInstanceOfSatisfying(HeraldException.class, ex -> assertThat(ex.code()).isEqualTo(ErrorCode.INVALID_SECRET));
        assertThatThrownBy(() -> WebhookVerifier.builder().tolerance(null))
                .isInstanceOf(NullPointerException.class).hasMessage("tolerance");
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(999), Duration.ofSeconds(-5))) {
            assertThatThrownBy(() -> WebhookVerifier.builder().tolerance(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 second");
        }
        assertThatThrownBy(() -> WebhookVerifier.builder().tolerance(Duration.ofMinutes(1)).tolerance(Duration.ofMinutes(2)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tolerance");
        assertThatThrownBy(() -> WebhookVerifier.builder().clock(null))
                .isInstanceOf(NullPointerException.class).hasMessage("clock");
        assertThatThrownBy(() -> WebhookVerifier.builder().clock(Clock.systemUTC()).clock(Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("clock");
        assertThatThrownBy(() -> WebhookVerifier.builder().acceptCompatibleScheme(true).acceptCompatibleScheme(false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("acceptCompatibleScheme");
        WebhookVerifier verifier = verifier(OLD_SECRET);
        assertThatThrownBy(() -> verifier.verify((java.util.function.Function<String, String>) null, PAYLOAD))
                .isInstanceOf(NullPointerException.class).hasMessage("header");
        assertThatThrownBy(() -> verifier.verify(h -> null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("body");
    }

    @Test
    void builderCanBuildAgainWithoutChangingWhatItBuilt() {
        WebhookVerifier.Builder builder = WebhookVerifier.builder().clock(at(TIMESTAMP)).secret(OLD_SECRET);
        WebhookVerifier first = builder.build();
        builder.secret(NEW_SECRET);
        WebhookVerifier second = builder.build();
        Map<String, String> newOnly = signed(List.of(NEW_SECRET), h -> { });
        assertThat(reasonOf(first, newOnly, PAYLOAD)).isEqualTo(Reason.NO_MATCHING_SIGNATURE);
        assertThatCode(() -> second.verify(newOnly::get, PAYLOAD)).doesNotThrowAnyException();
    }
}
