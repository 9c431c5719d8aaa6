package dev.herald.engine.signing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.Mac;

/**
 * The two HMAC-SHA256 computations both schemes need, shared by signer and verifier.
 *
 * <p>{@code Mac.getInstance} walks the provider list and costs far more than the HMAC of a small
 * body, so each thread keeps one {@link Mac} and re-keys it per call ({@code init} only re-derives the
 * pads). A virtual thread that signs once pays {@code getInstance} once, as it would without the cache.
 */
final class Hmacs {
    /** Length of an HMAC-SHA256 in bytes. */
    static final int LENGTH = 32;

    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    });

    private Hmacs() {
    }

    /** The bytes Standard Webhooks signs before the body: {@code id + "." + timestamp + "."}. */
    static byte[] standardPrefix(String webhookId, long timestampSeconds) {
        return (webhookId + '.' + timestampSeconds + '.').getBytes(StandardCharsets.UTF_8);
    }

    /** HMAC of {@code prefix} followed by {@code body}, fed in pieces so the body is never copied. */
    static byte[] standard(SigningKey key, byte[] prefix, byte[] body) {
        Mac mac = keyed(key);
        mac.update(prefix);
        mac.update(body);
        return mac.doFinal();
    }

    /** HMAC of the raw body: the compatible scheme. */
    static byte[] compatible(SigningKey key, byte[] body) {
        return keyed(key).doFinal(body);
    }

    private static Mac keyed(SigningKey key) {
        Mac mac = MAC.get();
        try {
            mac.init(key.spec());
        } catch (InvalidKeyException e) {
            // HMAC accepts keys of any length, so this cannot happen with a parsed SigningKey.
            throw new IllegalStateException("HmacSHA256 refused the key", e);
        }
        return mac;
    }
}
