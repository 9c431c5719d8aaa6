package dev.herald.engine.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.herald.engine.ErrorCode;
import dev.herald.engine.HeraldException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SigningKeyTest {

    static final String OFFICIAL_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    static String whsecOf(int bytes) {
        byte[] key = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            key[i] = (byte) (i * 7 + 3);
        }
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    @Test
    void whsecSecretKeepsItsBase64Form() {
        SigningKey key = SigningKey.parse(OFFICIAL_SECRET);
        assertThat(key.toStandardSecret()).isEqualTo(OFFICIAL_SECRET);
        assertThat(key).isEqualTo(SigningKey.parse(OFFICIAL_SECRET)).isNotEqualTo(SigningKey.parse(whsecOf(24)));
    }

    @Test
    void plainSecretIsItsUtf8Bytes() {
        SigningKey key = SigningKey.parse("my_webhook_secret_1");
        assertThat(key.toStandardSecret()).isEqualTo(
                "whsec_" + Base64.getEncoder().encodeToString("my_webhook_secret_1".getBytes(StandardCharsets.UTF_8)));
        assertThat(key).isNotEqualTo(SigningKey.parse("my_webhook_secret_2"));
    }

    @ParameterizedTest
    @ValueSource(ints = {24, 32, 64})
    void whsecLengthsInRangeAreAccepted(int bytes) {
        assertThat(SigningKey.parse(whsecOf(bytes)).toStandardSecret()).isEqualTo(whsecOf(bytes));
    }

    @Test
    void plainLengthsAtTheBoundsAreAccepted() {
        assertThat(SigningKey.parse("a".repeat(16))).isNotNull();
        assertThat(SigningKey.parse("ü".repeat(256)).toStandardSecret())
                .isEqualTo("whsec_" + Base64.getEncoder().encodeToString("ü".repeat(256).getBytes(StandardCharsets.UTF_8)));
    }

    static Stream<String> malformedSecrets() {
        return Stream.of(
                "whsec_",                                  // no key bytes
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS!",  // not base64
                "whsec_MfKQ9r8GKYqrTwjU_D8ILPZIo2LaLaSw",  // url-safe alphabet
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",   // truncated
                whsecOf(23),                               // too short
                whsecOf(65),                               // too long
                "short_secret",                            // fewer than 16 characters
                "x".repeat(257),                           // more than 256 characters
                "has a space inside it",
                "tab\tinside_the_secret",
                "newline_inside\nthe_secret",
                "nbsp\u00a0inside_the_secret",
                "");
    }

    @ParameterizedTest
    @MethodSource("malformedSecrets")
    void malformedSecretsAreRefusedWithoutEchoingThem(String secret) {
        HeraldException e = catchThrowableOfType(HeraldException.class, () -> SigningKey.parse(secret));
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SECRET);
        assertThat(e.getCause()).isNull();
        String body = secret.startsWith("whsec_") ? secret.substring(6) : secret;
        if (body.length() >= 4) {
            assertThat(e.getMessage()).doesNotContain(body);
        }
    }

    @Test
    void nullSecretNamesTheParameter() {
        assertThatThrownBy(() -> SigningKey.parse(null)).isInstanceOf(NullPointerException.class).hasMessage("secret");
        assertThatThrownBy(() -> SigningKey.generate(null)).isInstanceOf(NullPointerException.class).hasMessage("random");
    }

    @Test
    void toStringNeverShowsTheKey() {
        SigningKey key = SigningKey.parse(OFFICIAL_SECRET);
        assertThat(key.toString()).doesNotContain("MfKQ").doesNotContain(key.toStandardSecret().substring(6));
        assertThat(SigningKey.parse("my_webhook_secret_1").toString()).doesNotContain("my_webhook");
    }

    @Test
    void generatedSecretsAreFreshWhsecKeysOf32Bytes() {
        SecureRandom random = new SecureRandom();
        String first = SigningKey.generate(random);
        String second = SigningKey.generate(random);
        assertThat(first).startsWith("whsec_").isNotEqualTo(second);
        assertThat(Base64.getDecoder().decode(first.substring(6))).hasSize(32);
        assertThat(SigningKey.parse(first).toStandardSecret()).isEqualTo(first);
    }
}
