package dev.herald.engine.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    // The Standard Webhooks specification's published vector.
    static final String MSG_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long TIMESTAMP = 1614265330L;
    static final byte[] PAYLOAD = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    static final String EXPECTED_V1 = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    // Computed independently (Python hmac) over the same key and payload.
    static final String EXPECTED_SHA256 = "sha256=e2cb4f5251572539d458bfb8a7adb533b08801e6a794467e06f771debbb0818b";

    final WebhookSigner signer = new WebhookSigner();
    final SigningKey official = SigningKey.parse(SigningKeyTest.OFFICIAL_SECRET);

    @Test
    void matchesThePublishedStandardWebhooksVector() {
        Map<String, String> headers = signer.sign(List.of(official), MSG_ID, TIMESTAMP, "upload.completed", PAYLOAD);

        assertThat(headers).containsExactlyInAnyOrderEntriesOf(Map.of(
                "webhook-id", MSG_ID,
                "webhook-timestamp", "1614265330",
                "webhook-signature", EXPECTED_V1,
                "X-Webhook-ID", MSG_ID,
                "X-Webhook-Event", "upload.completed",
                "X-Webhook-Signature", EXPECTED_SHA256));
    }

    @Test
    void plainSecretSignsWithItsUtf8BytesInBothSchemes() {
        SigningKey plain = SigningKey.parse("my_webhook_secret_1");
        Map<String, String> headers = signer.sign(List.of(plain), MSG_ID, TIMESTAMP, "t", PAYLOAD);

        assertThat(headers.get("X-Webhook-Signature"))
                .isEqualTo("sha256=27620fe548d161bc8753db10dc90e0a8ea709c60818d2dd5282fc7ebcfb703a3");
        // What a Standard Webhooks library computes when given the whsec_ form of the same key.
        assertThat(plain.toStandardSecret()).isEqualTo("whsec_bXlfd2ViaG9va19zZWNyZXRfMQ==");
        assertThat(headers.get("webhook-signature")).isEqualTo("v1,asc854SVA1nX+3zri6FQ04v3bQuvq3g1KPMOe2Bd4bw=");
    }

    @Test
    void rotationSendsOneSignaturePerKeyNewestFirst() {
        SigningKey newer = SigningKey.parse(SigningKey.generate(new java.util.Random(1)));
        Map<String, String> both = signer.sign(List.of(newer, official), MSG_ID, TIMESTAMP, "t", PAYLOAD);
        Map<String, String> onlyNewer = signer.sign(List.of(newer), MSG_ID, TIMESTAMP, "t", PAYLOAD);

        assertThat(both.get("webhook-signature")).isEqualTo(onlyNewer.get("webhook-signature") + " " + EXPECTED_V1);
        assertThat(both.get("X-Webhook-Signature"))
                .isEqualTo(onlyNewer.get("X-Webhook-Signature") + " " + EXPECTED_SHA256);
    }

    @Test
    void signaturesCoverIdTimestampAndBody() {
        String base = signer.sign(List.of(official), MSG_ID, TIMESTAMP, "t", PAYLOAD).get("webhook-signature");
        assertThat(signer.sign(List.of(official), MSG_ID + "x", TIMESTAMP, "t", PAYLOAD).get("webhook-signature"))
                .isNotEqualTo(base);
        assertThat(signer.sign(List.of(official), MSG_ID, TIMESTAMP + 1, "t", PAYLOAD).get("webhook-signature"))
                .isNotEqualTo(base);
        assertThat(signer.sign(List.of(official), MSG_ID, TIMESTAMP, "t", new byte[0]).get("webhook-signature"))
                .isNotEqualTo(base);
    }

    @Test
    void concurrentSigningGivesTheSameSignaturesAsSequential() throws Exception {
        List<SigningKey> keys = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 16; i++) {
            keys.add(SigningKey.parse(SigningKey.generate(random)));
        }
        List<Map<String, String>> expected = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            expected.add(signer.sign(List.of(keys.get(i % 16)), "msg_" + i, TIMESTAMP + i, "t", PAYLOAD));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Map<String, String>>> futures = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                futures.add(pool.submit(() -> signer.sign(List.of(keys.get(n % 16)), "msg_" + n, TIMESTAMP + n, "t", PAYLOAD)));
            }
            for (int i = 0; i < 400; i++) {
                assertThat(futures.get(i).get()).isEqualTo(expected.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void argumentsAreChecked() {
        assertThatThrownBy(() -> signer.sign(List.of(), MSG_ID, TIMESTAMP, "t", PAYLOAD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys");
        assertThatThrownBy(() -> signer.sign(List.of(official), MSG_ID, -1, "t", PAYLOAD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timestampSeconds");
        assertThatThrownBy(() -> signer.sign(null, MSG_ID, TIMESTAMP, "t", PAYLOAD))
                .isInstanceOf(NullPointerException.class).hasMessage("keys");
        assertThatThrownBy(() -> signer.sign(List.of(official), null, TIMESTAMP, "t", PAYLOAD))
                .isInstanceOf(NullPointerException.class).hasMessage("webhookId");
        assertThatThrownBy(() -> signer.sign(List.of(official), MSG_ID, TIMESTAMP, null, PAYLOAD))
                .isInstanceOf(NullPointerException.class).hasMessage("eventType");
        assertThatThrownBy(() -> signer.sign(List.of(official), MSG_ID, TIMESTAMP, "t", null))
                .isInstanceOf(NullPointerException.class).hasMessage("body");
        List<SigningKey> withNull = new ArrayList<>();
        withNull.add(official);
        withNull.add(null);
        assertThatThrownBy(() -> signer.sign(withNull, MSG_ID, TIMESTAMP, "t", PAYLOAD))
                .isInstanceOf(NullPointerException.class).hasMessage("keys[1]");
    }
}
