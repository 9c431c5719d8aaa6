package dev.herald.engine.signing;

import static dev.herald.engine.signing.WebhookVerificationException.Reason.INVALID_TIMESTAMP;
import static dev.herald.engine.signing.WebhookVerificationException.Reason.MALFORMED_SIGNATURE;
import static dev.herald.engine.signing.WebhookVerificationException.Reason.MISSING_HEADERS;
import static dev.herald.engine.signing.WebhookVerificationException.Reason.NO_MATCHING_SIGNATURE;
import static dev.herald.engine.signing.WebhookVerificationException.Reason.TIMESTAMP_TOO_NEW;
import static dev.herald.engine.signing.WebhookVerificationException.Reason.TIMESTAMP_TOO_OLD;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Checks a received webhook request, on the receiver's side. It accepts either scheme that
 * {@link WebhookSigner} sends:
 * <ol>
 *   <li>if {@code webhook-signature} is present, Standard Webhooks: {@code webhook-id} and
 *       {@code webhook-timestamp} are required, the timestamp must lie within the tolerance of the clock
 *       in both directions, and one {@code v1} signature of the space-separated list must match one
 *       configured secret. Other versions in the list ({@code v1a}, ...) are skipped;</li>
 *   <li>otherwise, if {@code X-Webhook-Signature} is present, the compatible scheme: one
 *       {@code sha256=<hex>} value of the space-separated list must match one configured secret.
 *       <b>This scheme signs no timestamp, so it gives no replay protection</b>: a captured request
 *       verifies forever. Receivers that can should use Standard Webhooks, drop duplicate ids, and
 *       refuse the compatible scheme with {@link Builder#acceptCompatibleScheme(boolean)}.</li>
 * </ol>
 * Signatures are compared in constant time, over the raw body bytes exactly as received (parse the
 * JSON only after verifying).
 *
 * <p>Immutable and thread-safe; build one and share it.
 *
 * <pre>{@code
 * WebhookVerifier verifier = WebhookVerifier.builder().secret(currentSecret).secret(previousSecret).build();
 * verifier.verify(request::getHeader, rawBody);   // throws WebhookVerificationException
 * }</pre>
 */
public final class WebhookVerifier {
    /** Default timestamp tolerance, in both directions: 5 minutes. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private static final Base64.Decoder BASE64 = Base64.getDecoder();
    private static final HexFormat HEX = HexFormat.of();
    private static final int MAX_TIMESTAMP_DIGITS = 18;

    private final List<SigningKey> keys;
    private final long toleranceSeconds;
    private final Clock clock;
    private final boolean acceptCompatible;

    private WebhookVerifier(List<SigningKey> keys, Duration tolerance, Clock clock, boolean acceptCompatible) {
        this.keys = List.copyOf(keys);
        this.toleranceSeconds = tolerance.getSeconds();
        this.clock = clock;
        this.acceptCompatible = acceptCompatible;
    }

    /** A new builder; at least one {@link Builder#secret(String) secret} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a request.
     *
     * @param header looks up a header's value by name, case-insensitively, or returns null when the
     *               header is absent; it is asked for lower-case names, so a case-sensitive lookup over
     *               lower-cased names (HTTP/2) works too. Signature headers sent several times must be
     *               joined with a space.
     * @param body   the raw request body
     * @throws WebhookVerificationException if the request does not verify; {@link
     *                                      WebhookVerificationException#reason()} says why
     * @throws NullPointerException         if an argument is null
     */
    public void verify(Function<String, String> header, byte[] body) {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(body, "body");
        String standard = header.apply(WebhookSigner.WEBHOOK_SIGNATURE);
        if (standard != null) {
            verifyStandard(header, standard, body);
            return;
        }
        String compatible = acceptCompatible
                ? header.apply(WebhookSigner.X_WEBHOOK_SIGNATURE.toLowerCase(Locale.ROOT))
                : null;
        if (compatible != null) {
            verifyCompatible(compatible, body);
            return;
        }
        throw new WebhookVerificationException(MISSING_HEADERS, acceptCompatible
                ? "neither webhook-signature nor X-Webhook-Signature is present"
                : "webhook-signature is missing");
    }

    /**
     * Verifies a request whose headers come as a multi-valued map ({@code java.net.http.HttpHeaders.map()},
     * the JDK {@code HttpServer}'s {@code Headers}, most frameworks). Names are matched case-insensitively;
     * several values of one header are joined with a space.
     *
     * @param headers the request headers
     * @param body    the raw request body
     * @throws WebhookVerificationException if the request does not verify
     * @throws NullPointerException         if an argument is null
     * @see #verify(Function, byte[])
     */
    public void verify(Map<String, ? extends Collection<String>> headers, byte[] body) {
        Objects.requireNonNull(headers, "headers");
        verify(name -> lookup(headers, name), body);
    }

    private void verifyStandard(Function<String, String> header, String signatures, byte[] body) {
        String id = header.apply(WebhookSigner.WEBHOOK_ID);
        String timestamp = header.apply(WebhookSigner.WEBHOOK_TIMESTAMP);
        if (id == null || id.isBlank() || timestamp == null || timestamp.isBlank()) {
            throw new WebhookVerificationException(MISSING_HEADERS,
                    "webhook-signature needs webhook-id and webhook-timestamp");
        }
        long seconds = parseSeconds(timestamp.strip());
        long now = clock.instant().getEpochSecond();
        // Both differences fit in a long: seconds has at most 18 digits.
        if (now - seconds > toleranceSeconds) {
            throw new WebhookVerificationException(TIMESTAMP_TOO_OLD, "webhook-timestamp is too old");
        }
        if (seconds - now > toleranceSeconds) {
            throw new WebhookVerificationException(TIMESTAMP_TOO_NEW, "webhook-timestamp is in the future");
        }
        List<byte[]> candidates = new ArrayList<>(2);
        for (String token : signatures.split(" ")) {
            if (token.startsWith(WebhookSigner.V1_PREFIX)) {
                addIfWellFormed(candidates, token.substring(WebhookSigner.V1_PREFIX.length()), false);
            }
        }
        if (candidates.isEmpty()) {
            throw new WebhookVerificationException(MALFORMED_SIGNATURE, "webhook-signature holds no valid v1 signature");
        }
        byte[] prefix = Hmacs.standardPrefix(id, seconds);
        for (SigningKey key : keys) {
            if (matchesAny(Hmacs.standard(key, prefix, body), candidates)) {
                return;
            }
        }
        throw new WebhookVerificationException(NO_MATCHING_SIGNATURE, "no webhook-signature matches");
    }

    private void verifyCompatible(String signatures, byte[] body) {
        List<byte[]> candidates = new ArrayList<>(2);
        for (String token : signatures.split(" ")) {
            if (token.startsWith(WebhookSigner.SHA256_PREFIX)) {
                addIfWellFormed(candidates, token.substring(WebhookSigner.SHA256_PREFIX.length()), true);
            }
        }
        if (candidates.isEmpty()) {
            throw new WebhookVerificationException(MALFORMED_SIGNATURE,
                    "X-Webhook-Signature holds no valid sha256 signature");
        }
        for (SigningKey key : keys) {
            if (matchesAny(Hmacs.compatible(key, body), candidates)) {
                return;
            }
        }
        throw new WebhookVerificationException(NO_MATCHING_SIGNATURE, "no X-Webhook-Signature matches");
    }

    private static void addIfWellFormed(List<byte[]> candidates, String encoded, boolean hex) {
        try {
            byte[] decoded = hex ? HEX.parseHex(encoded) : BASE64.decode(encoded);
            if (decoded.length == Hmacs.LENGTH) {
                candidates.add(decoded);
            }
        } catch (IllegalArgumentException e) {
            // Not a signature; the others in the list may still be.
        }
    }

    private static boolean matchesAny(byte[] expected, List<byte[]> candidates) {
        boolean match = false;
        for (byte[] candidate : candidates) {
            // No early exit: the time taken does not depend on which candidate matched.
            match |= MessageDigest.isEqual(expected, candidate);
        }
        return match;
    }

    private static long parseSeconds(String value) {
        int length = value.length();
        if (length > MAX_TIMESTAMP_DIGITS) {
            throw new WebhookVerificationException(INVALID_TIMESTAMP, "webhook-timestamp is not Unix seconds");
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new WebhookVerificationException(INVALID_TIMESTAMP, "webhook-timestamp is not Unix seconds");
            }
        }
        return Long.parseLong(value);
    }

    private static String lookup(Map<String, ? extends Collection<String>> headers, String name) {
        String joined = null;
        for (Map.Entry<String, ? extends Collection<String>> entry : headers.entrySet()) {
            if (entry.getKey() == null || !entry.getKey().equalsIgnoreCase(name) || entry.getValue() == null) {
                continue;
            }
            for (String value : entry.getValue()) {
                if (value != null) {
                    joined = joined == null ? value : joined + ' ' + value;
                }
            }
        }
        return joined;
    }

    /**
     * Builds a {@link WebhookVerifier}. Not thread-safe; {@link #build()} copies the settings, so the
     * builder can build again.
     */
    public static final class Builder {
        private final List<SigningKey> keys = new ArrayList<>(2);
        private Duration tolerance;
        private Clock clock;
        private Boolean acceptCompatible;

        private Builder() {
        }

        /**
         * Adds a secret a valid signature may use. Call once per secret: during rotation, with both the
         * new and the old one.
         *
         * @param secret {@code whsec_<base64>} or any other string, as {@link SigningKey#parse} reads it
         * @return this builder
         * @throws NullPointerException                  if {@code secret} is null
         * @throws dev.herald.engine.HeraldException     with {@code INVALID_SECRET} if it is malformed
         */
        public Builder secret(String secret) {
            keys.add(SigningKey.parse(secret));
            return this;
        }

        /**
         * How far a {@code webhook-timestamp} may lie from the clock, in either direction; whole seconds
         * count. Default {@link #DEFAULT_TOLERANCE}.
         *
         * @param tolerance at least 1 second
         * @return this builder
         * @throws NullPointerException     if {@code tolerance} is null
         * @throws IllegalArgumentException if it is shorter than 1 second
         * @throws IllegalStateException    if the tolerance was already set
         */
        public Builder tolerance(Duration tolerance) {
            Objects.requireNonNull(tolerance, "tolerance");
            if (tolerance.getSeconds() < 1) {
                throw new IllegalArgumentException("tolerance must be at least 1 second, got " + tolerance);
            }
            if (this.tolerance != null) {
                throw new IllegalStateException("tolerance was already set to " + this.tolerance);
            }
            this.tolerance = tolerance;
            return this;
        }

        /**
         * The clock timestamps are compared with. Default {@link Clock#systemUTC()}.
         *
         * @param clock the clock
         * @return this builder
         * @throws NullPointerException  if {@code clock} is null
         * @throws IllegalStateException if the clock was already set
         */
        public Builder clock(Clock clock) {
            Objects.requireNonNull(clock, "clock");
            if (this.clock != null) {
                throw new IllegalStateException("clock was already set");
            }
            this.clock = clock;
            return this;
        }

        /**
         * Whether a request signed only with {@code X-Webhook-Signature} (no timestamp, so no replay
         * protection) is accepted. Default true.
         *
         * @param accept false to require Standard Webhooks signatures
         * @return this builder
         * @throws IllegalStateException if this was already set
         */
        public Builder acceptCompatibleScheme(boolean accept) {
            if (this.acceptCompatible != null) {
                throw new IllegalStateException("acceptCompatibleScheme was already set");
            }
            this.acceptCompatible = accept;
            return this;
        }

        /**
         * Builds the verifier.
         *
         * @return a new, immutable verifier
         * @throws IllegalStateException if no secret was added
         */
        public WebhookVerifier build() {
            if (keys.isEmpty()) {
                throw new IllegalStateException("no secret: call secret(String) at least once");
            }
            return new WebhookVerifier(keys,
                    tolerance != null ? tolerance : DEFAULT_TOLERANCE,
                    clock != null ? clock : Clock.systemUTC(),
                    acceptCompatible == null || acceptCompatible);
        }
    }
}
