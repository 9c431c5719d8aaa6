package dev.herald.engine.signing;

import dev.herald.engine.ErrorCode;
import dev.herald.engine.HeraldException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC key behind a signing secret. Both signature schemes use the same key bytes:
 * <ul>
 *   <li>{@code whsec_<base64>}: the base64-decoded bytes after the prefix, {@value #MIN_WHSEC_BYTES} to
 *       {@value #MAX_WHSEC_BYTES} of them, as Standard Webhooks libraries read it;</li>
 *   <li>any other string: its UTF-8 bytes; {@value #MIN_PLAIN_LENGTH} to {@value #MAX_PLAIN_LENGTH}
 *       characters, no whitespace or control characters. A receiver using a Standard Webhooks library
 *       with such a secret passes it {@link #toStandardSecret()}.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the key, and no exception message
 * holds any part of the secret.
 */
public final class SigningKey {
    /** Prefix of Standard Webhooks secrets. */
    public static final String WHSEC_PREFIX = "whsec_";
    /** Fewest key bytes a {@code whsec_} secret may decode to. */
    public static final int MIN_WHSEC_BYTES = 24;
    /** Most key bytes a {@code whsec_} secret may decode to. */
    public static final int MAX_WHSEC_BYTES = 64;
    /** Fewest characters of a secret without the {@code whsec_} prefix. */
    public static final int MIN_PLAIN_LENGTH = 16;
    /** Most characters of a secret without the {@code whsec_} prefix. */
    public static final int MAX_PLAIN_LENGTH = 256;
    /** Number of random bytes in a {@linkplain #generate generated} secret. */
    public static final int GENERATED_BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";

    private final byte[] bytes;
    // Built once: every signature with this key initialises a Mac from it.
    private final SecretKeySpec spec;

    private SigningKey(byte[] bytes) {
        this.bytes = bytes;
        this.spec = new SecretKeySpec(bytes, ALGORITHM);
    }

    /**
     * Parses a secret.
     *
     * @param secret {@code whsec_<base64>} or any other string (see the class documentation)
     * @return the key
     * @throws NullPointerException if {@code secret} is null
     * @throws HeraldException      with {@link ErrorCode#INVALID_SECRET} if the secret is malformed,
     *                              too short or too long; the message never holds the secret
     */
    public static SigningKey parse(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.startsWith(WHSEC_PREFIX)) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(secret.substring(WHSEC_PREFIX.length()));
            } catch (IllegalArgumentException e) {
                // The cause is dropped on purpose: its message quotes a character of the secret.
                throw invalid("a whsec_ secret must be whsec_ followed by standard base64");
            }
            if (decoded.length < MIN_WHSEC_BYTES || decoded.length > MAX_WHSEC_BYTES) {
                throw invalid("a whsec_ secret must decode to " + MIN_WHSEC_BYTES + " to " + MAX_WHSEC_BYTES
                        + " bytes, got " + decoded.length);
            }
            return new SigningKey(decoded);
        }
        int length = secret.length();
        if (length < MIN_PLAIN_LENGTH || length > MAX_PLAIN_LENGTH) {
            throw invalid("a secret must be " + MIN_PLAIN_LENGTH + " to " + MAX_PLAIN_LENGTH
                    + " characters long, got " + length);
        }
        for (int i = 0; i < length; i++) {
            char c = secret.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                throw invalid("a secret must not contain whitespace or control characters");
            }
        }
        return new SigningKey(secret.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Generates a new secret: {@code whsec_} and the base64 of {@value #GENERATED_BYTES} random bytes.
     *
     * @param random the source of the key bytes; pass a {@link java.security.SecureRandom}
     * @return the secret, ready for {@link #parse}
     * @throws NullPointerException if {@code random} is null
     */
    public static String generate(RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        byte[] key = new byte[GENERATED_BYTES];
        random.nextBytes(key);
        return WHSEC_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /**
     * This key as a {@code whsec_} secret, which Standard Webhooks libraries accept; for a {@code whsec_}
     * secret it is the secret itself (normalised). Reveals the key: hand it only to the receiver.
     * A plain secret of fewer than {@value #MIN_WHSEC_BYTES} bytes gives a {@code whsec_} form that
     * Standard Webhooks libraries accept but {@link #parse} refuses as too short; keep the plain form
     * for Herald.
     *
     * @return {@code whsec_<base64 of the key bytes>}
     */
    public String toStandardSecret() {
        return WHSEC_PREFIX + Base64.getEncoder().encodeToString(bytes);
    }

    /** The key for {@code HmacSHA256}; shared, never modified. */
    SecretKeySpec spec() {
        return spec;
    }

    /** Constant-time comparison of the key bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SigningKey other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        // Only the length: a hash of the bytes would leak information about the key.
        return bytes.length;
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "SigningKey[***]";
    }

    private static HeraldException invalid(String message) {
        return new HeraldException(ErrorCode.INVALID_SECRET, message);
    }
}
