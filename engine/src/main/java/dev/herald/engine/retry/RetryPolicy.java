package dev.herald.engine.retry;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a delivery again. Attempts are numbered from 1; attempt 2 is the first retry.
 * The delay before a retry is the schedule's delay for it, with jitter, raised to the receiver's
 * {@code Retry-After} (capped) when that is longer.
 *
 * <p>Get one with {@link #defaults()} or {@link #builder()}; implementations are immutable and
 * thread-safe. The randomness for jitter is passed in, so a test can seed it.
 */
public interface RetryPolicy {

    /** A builder, starting from the defaults listed on {@link RetryPolicyBuilder}. */
    static RetryPolicyBuilder builder() {
        return new RetryPolicyBuilder();
    }

    /**
     * The default policy: delays of 5s, 5m, 30m, 2h, 5h, 10h and 10h (8 attempts in all, about 28 hours),
     * jitter ±20%, {@code Retry-After} honoured up to 1 hour.
     */
    static RetryPolicy defaults() {
        return ScheduledRetryPolicy.DEFAULTS;
    }

    /** The settings of this policy. */
    RetryPolicyConfig config();

    /** How many attempts a delivery gets in all, the first one included; at least 1. */
    default int maxAttempts() {
        return config().maxAttempts();
    }

    /**
     * The delay before attempt {@code nextAttemptNumber}.
     *
     * @param nextAttemptNumber the attempt about to be scheduled, at least 2 (2 = the first retry)
     * @param retryAfter        the receiver's {@code Retry-After}, or null; it replaces the computed delay
     *                          when longer, after being capped at {@link RetryPolicyConfig#retryAfterCap()};
     *                          a negative value is ignored
     * @param random            the jitter source; not used when the jitter is 0
     * @return the delay, or empty when {@code nextAttemptNumber} is beyond {@link #maxAttempts()}
     * @throws IllegalArgumentException if {@code nextAttemptNumber} is less than 2
     * @throws NullPointerException     if {@code random} is null
     */
    Optional<Duration> delayBefore(int nextAttemptNumber, Duration retryAfter, RandomGenerator random);
}
