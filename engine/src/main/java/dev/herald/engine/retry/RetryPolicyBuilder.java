package dev.herald.engine.retry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link RetryPolicy}; get one from {@link RetryPolicy#builder()}. Unset settings take the
 * defaults:
 * <ul>
 *   <li>backoff: {@link #DEFAULT_DELAYS}, 5s, 5m, 30m, 2h, 5h, 10h, 10h: 8 attempts over about 28 hours;</li>
 *   <li>jitter: {@value #DEFAULT_JITTER}, each delay moved by up to ±20%, so retries of many deliveries
 *       that failed together (a receiver outage) do not arrive together;</li>
 *   <li>Retry-After cap: {@link #DEFAULT_RETRY_AFTER_CAP}, 1 hour.</li>
 * </ul>
 * Each setter may be called once; {@link #delays} and {@link #exponential} exclude each other.
 * {@link #build()} copies the settings, so the builder can build again and what it built never changes.
 * Not thread-safe.
 */
public final class RetryPolicyBuilder {
    /** Default schedule: 5s, 5m, 30m, 2h, 5h, 10h, 10h. */
    public static final List<Duration> DEFAULT_DELAYS = List.of(
            Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
            Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10));
    /** Default jitter fraction. */
    public static final double DEFAULT_JITTER = 0.2;
    /** Default longest {@code Retry-After} honoured. */
    public static final Duration DEFAULT_RETRY_AFTER_CAP = Duration.ofHours(1);
    /** Most attempts a policy may allow, the first one included. */
    public static final int MAX_ATTEMPTS = 100;
    /** Longest delay, cap or {@code Retry-After} cap a policy may have. */
    public static final Duration MAX_DELAY = Duration.ofDays(30);

    private List<Duration> delays;
    private RetryPolicyConfig.Exponential exponential;
    private Double jitter;
    private Duration retryAfterCap;

    RetryPolicyBuilder() {
    }

    /**
     * An explicit schedule: the delay before each retry, in order; there are {@code delays.length + 1}
     * attempts. No delays means no retries.
     *
     * @param delays each positive and at most {@link #MAX_DELAY}; at most {@code MAX_ATTEMPTS - 1} of them
     * @return this builder
     * @throws NullPointerException     if {@code delays} or one of them is null
     * @throws IllegalArgumentException if a delay or the count is out of range
     * @throws IllegalStateException    if the delays or {@link #exponential} were already set
     */
    public RetryPolicyBuilder delays(Duration... delays) {
        Objects.requireNonNull(delays, "delays");
        if (delays.length > MAX_ATTEMPTS - 1) {
            throw new IllegalArgumentException("at most " + (MAX_ATTEMPTS - 1) + " delays (" + MAX_ATTEMPTS
                    + " attempts), got " + delays.length);
        }
        for (int i = 0; i < delays.length; i++) {
            checkDelay(delays[i], "delays[" + i + "]");
        }
        checkBackoffUnset("delays(...)");
        this.delays = List.of(delays);
        return this;
    }

    /**
     * An explicit schedule; see {@link #delays(Duration...)}.
     *
     * @param delays the delays in order
     * @return this builder
     * @throws NullPointerException     if {@code delays} or one of them is null
     * @throws IllegalArgumentException if a delay or the count is out of range
     * @throws IllegalStateException    if the delays or {@link #exponential} were already set
     */
    public RetryPolicyBuilder delays(List<Duration> delays) {
        Objects.requireNonNull(delays, "delays");
        return delays(delays.toArray(Duration[]::new));
    }

    /**
     * Exponential delays: {@code base × factor^(retry - 1)} before retry {@code retry}, never more than
     * {@code cap}.
     *
     * @param base        the delay before the first retry; positive, at most {@code cap}
     * @param factor      the growth per retry; at least 1, finite
     * @param cap         the longest delay; positive, at most {@link #MAX_DELAY}
     * @param maxAttempts attempts in all, the first one included; 1 to {@value #MAX_ATTEMPTS}
     * @return this builder
     * @throws NullPointerException     if {@code base} or {@code cap} is null
     * @throws IllegalArgumentException if an argument is out of range
     * @throws IllegalStateException    if this or {@link #delays} was already set
     */
    public RetryPolicyBuilder exponential(Duration base, double factor, Duration cap, int maxAttempts) {
        checkDelay(base, "base");
        checkDelay(cap, "cap");
        if (base.compareTo(cap) > 0) {
            throw new IllegalArgumentException("base must be <= cap, got base " + base + " and cap " + cap);
        }
        if (!(factor >= 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be finite and >= 1, got " + factor);
        }
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("maxAttempts must be in [1, " + MAX_ATTEMPTS + "], got " + maxAttempts);
        }
        checkBackoffUnset("exponential(...)");
        this.exponential = new RetryPolicyConfig.Exponential(base, factor, cap, maxAttempts);
        return this;
    }

    /**
     * The jitter: each delay is multiplied by {@code 1 + fraction × u}, {@code u} uniform in [-1, 1).
     * Default {@value #DEFAULT_JITTER}.
     *
     * @param fraction in [0, 1]; 0 turns jitter off
     * @return this builder
     * @throws IllegalArgumentException if {@code fraction} is out of range or NaN
     * @throws IllegalStateException    if the jitter was already set
     */
    public RetryPolicyBuilder jitter(double fraction) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("jitter must be in [0, 1], got " + fraction);
        }
        if (jitter != null) {
            throw new IllegalStateException("jitter was already set to " + jitter);
        }
        this.jitter = fraction;
        return this;
    }

    /**
     * The longest {@code Retry-After} honoured; a longer one is clamped to it. A {@code Retry-After}
     * replaces the computed delay only when longer. Default {@link #DEFAULT_RETRY_AFTER_CAP}.
     *
     * @param cap positive, at most {@link #MAX_DELAY}
     * @return this builder
     * @throws NullPointerException     if {@code cap} is null
     * @throws IllegalArgumentException if {@code cap} is out of range
     * @throws IllegalStateException    if the cap was already set
     */
    public RetryPolicyBuilder retryAfterCap(Duration cap) {
        checkDelay(cap, "cap");
        if (retryAfterCap != null) {
            throw new IllegalStateException("retryAfterCap was already set to " + retryAfterCap);
        }
        this.retryAfterCap = cap;
        return this;
    }

    /**
     * Builds the policy from the settings made so far and the defaults.
     *
     * @return a new, immutable policy
     * @throws IllegalStateException if both {@link #delays} and {@link #exponential} are set
     */
    public RetryPolicy build() {
        if (delays != null && exponential != null) {
            throw new IllegalStateException("delays(...) and exponential(...) are both set; choose one");
        }
        RetryPolicyConfig.Backoff backoff = exponential != null ? exponential
                : new RetryPolicyConfig.Schedule(delays != null ? delays : DEFAULT_DELAYS);
        return new ScheduledRetryPolicy(new RetryPolicyConfig(backoff,
                jitter != null ? jitter : DEFAULT_JITTER,
                retryAfterCap != null ? retryAfterCap : DEFAULT_RETRY_AFTER_CAP));
    }

    private void checkBackoffUnset(String setting) {
        String earlier = delays != null ? "delays(...)" : exponential != null ? "exponential(...)" : null;
        if (earlier == null) {
            return;
        }
        throw new IllegalStateException(earlier.equals(setting)
                ? setting + " was already set"
                : setting + " clashes with " + earlier + " set earlier; choose one");
    }

    private static void checkDelay(Duration delay, String name) {
        Objects.requireNonNull(delay, name);
        if (delay.isNegative() || delay.isZero() || delay.compareTo(MAX_DELAY) > 0) {
            throw new IllegalArgumentException(name + " must be in (0, " + MAX_DELAY + "], got " + delay);
        }
    }
}
