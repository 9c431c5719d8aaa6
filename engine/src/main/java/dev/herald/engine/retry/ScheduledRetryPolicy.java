package dev.herald.engine.retry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/** The only {@link RetryPolicy}: both kinds of backoff are turned into a table of delays when built. */
final class ScheduledRetryPolicy implements RetryPolicy {
    static final RetryPolicy DEFAULTS = new RetryPolicyBuilder().build();

    private final RetryPolicyConfig config;
    /** {@code delayNanos[i]}: the delay before retry {@code i + 1}, before jitter. */
    private final long[] delayNanos;
    private final long retryAfterCapNanos;

    ScheduledRetryPolicy(RetryPolicyConfig config) {
        this.config = config;
        this.delayNanos = table(config.backoff());
        this.retryAfterCapNanos = config.retryAfterCap().toNanos();
    }

    private static long[] table(RetryPolicyConfig.Backoff backoff) {
        long[] table = new long[backoff.maxAttempts() - 1];
        if (backoff instanceof RetryPolicyConfig.Schedule schedule) {
            List<Duration> delays = schedule.delays();
            for (int i = 0; i < table.length; i++) {
                table[i] = delays.get(i).toNanos();
            }
        } else {
            RetryPolicyConfig.Exponential exponential = (RetryPolicyConfig.Exponential) backoff;
            long cap = exponential.cap().toNanos();
            double delay = exponential.base().toNanos();
            for (int i = 0; i < table.length; i++) {
                // Compared as a double before converting, so factor^99 cannot overflow a long.
                table[i] = delay >= cap ? cap : Math.round(delay);
                delay *= exponential.factor();
            }
        }
        return table;
    }

    @Override
    public RetryPolicyConfig config() {
        return config;
    }

    @Override
    public int maxAttempts() {
        return delayNanos.length + 1;
    }

    @Override
    public Optional<Duration> delayBefore(int nextAttemptNumber, Duration retryAfter, RandomGenerator random) {
        Objects.requireNonNull(random, "random");
        if (nextAttemptNumber < 2) {
            throw new IllegalArgumentException("nextAttemptNumber must be >= 2 (2 = first retry), got "
                    + nextAttemptNumber);
        }
        if (nextAttemptNumber > maxAttempts()) {
            return Optional.empty();
        }
        long delay = delayNanos[nextAttemptNumber - 2];
        double jitter = config.jitter();
        if (jitter > 0) {
            delay = Math.round(delay * (1 + jitter * random.nextDouble(-1.0, 1.0)));
        }
        if (retryAfter != null && !retryAfter.isNegative()) {
            // Compared as Durations first: toNanos() of a huge Retry-After would overflow.
            long asked = retryAfter.compareTo(config.retryAfterCap()) >= 0 ? retryAfterCapNanos : retryAfter.toNanos();
            delay = Math.max(delay, asked);
        }
        return Optional.of(Duration.ofNanos(delay));
    }

    @Override
    public String toString() {
        return "RetryPolicy" + config;
    }
}
