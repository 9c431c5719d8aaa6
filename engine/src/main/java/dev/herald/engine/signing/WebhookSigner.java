package dev.herald.engine.signing;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Signs webhook requests with both schemes, so receivers written against either one work:
 * <ul>
 *   <li>Standard Webhooks: {@value #WEBHOOK_ID}, {@value #WEBHOOK_TIMESTAMP} (Unix seconds) and
 *       {@value #WEBHOOK_SIGNATURE}: {@code v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>};</li>
 *   <li>compatible: {@value #X_WEBHOOK_ID}, {@value #X_WEBHOOK_EVENT} and {@value #X_WEBHOOK_SIGNATURE}:
 *       {@code sha256=<lowercase hex HMAC-SHA256(key, body)>}.</li>
 * </ul>
 * With several keys (secret rotation) each signature header carries one signature per key,
 * space-separated, in the order of the keys given.
 *
 * <p>Stateless and thread-safe; one instance serves the whole engine.
 */
public final class WebhookSigner {
    /** Standard Webhooks message id header; the same across retries of one delivery. */
    public static final String WEBHOOK_ID = "webhook-id";
    /** Standard Webhooks timestamp header, Unix seconds. */
    public static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
    /** Standard Webhooks signature header. */
    public static final String WEBHOOK_SIGNATURE = "webhook-signature";
    /** Compatible scheme's id header; the same value as {@value #WEBHOOK_ID}. */
    public static final String X_WEBHOOK_ID = "X-Webhook-ID";
    /** Compatible scheme's event type header. */
    public static final String X_WEBHOOK_EVENT = "X-Webhook-Event";
    /** Compatible scheme's signature header. */
    public static final String X_WEBHOOK_SIGNATURE = "X-Webhook-Signature";

    static final String V1_PREFIX = "v1,";
    static final String SHA256_PREFIX = "sha256=";

    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    private static final HexFormat HEX = HexFormat.of();

    /** Creates a signer. */
    public WebhookSigner() {
    }

    /**
     * Computes the signature headers of one request.
     *
     * @param keys             the endpoint's active keys, newest first; the order is kept in the headers
     * @param webhookId        the delivery's stable id, sent as {@value #WEBHOOK_ID} and {@value #X_WEBHOOK_ID}
     * @param timestampSeconds the sending time in Unix seconds, at least 0
     * @param eventType        the event type, sent as {@value #X_WEBHOOK_EVENT}
     * @param body             the exact bytes that will be sent
     * @return the six headers, immutable
     * @throws NullPointerException     if an argument or a key is null
     * @throws IllegalArgumentException if {@code keys} is empty or {@code timestampSeconds} is negative
     */
    public Map<String, String> sign(List<SigningKey> keys, String webhookId, long timestampSeconds,
                                    String eventType, byte[] body) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(webhookId, "webhookId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(body, "body");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("keys must not be empty");
        }
        if (timestampSeconds < 0) {
            throw new IllegalArgumentException("timestampSeconds must be >= 0, got " + timestampSeconds);
        }
        byte[] prefix = Hmacs.standardPrefix(webhookId, timestampSeconds);
        int n = keys.size();
        StringBuilder standard = new StringBuilder(n * 48);
        StringBuilder compatible = new StringBuilder(n * 72);
        for (int i = 0; i < n; i++) {
            SigningKey key = Objects.requireNonNull(keys.get(i), "keys[" + i + "]");
            if (i > 0) {
                standard.append(' ');
                compatible.append(' ');
            }
            standard.append(V1_PREFIX).append(BASE64.encodeToString(Hmacs.standard(key, prefix, body)));
            compatible.append(SHA256_PREFIX).append(HEX.formatHex(Hmacs.compatible(key, body)));
        }
        return Map.of(
                WEBHOOK_ID, webhookId,
                WEBHOOK_TIMESTAMP, Long.toString(timestampSeconds),
                WEBHOOK_SIGNATURE, standard.toString(),
                X_WEBHOOK_ID, webhookId,
                X_WEBHOOK_EVENT, eventType,
                X_WEBHOOK_SIGNATURE, compatible.toString());
    }
}
