package dev.herald.engine.retry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Read-only view of a {@link RetryPolicy}'s settings, for logs, metrics and configuration screens.
 *
 * @param backoff       the delays before jitter: an explicit schedule or an exponential curve
 * @param jitter        the fraction each delay is randomly moved by, either way, in [0, 1]
 * @param retryAfterCap the longest {@code Retry-After} honoured; longer ones are clamped to it
 */
public record RetryPolicyConfig(Backoff backoff, double jitter, Duration retryAfterCap) {
    public RetryPolicyConfig {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(retryAfterCap, "retryAfterCap");
    }

    /** How many attempts a delivery gets in all, the first one included. */
    public int maxAttempts() {
        return backoff.maxAttempts();
    }

    /** The delays before jitter. */
    public sealed interface Backoff permits Schedule, Exponential {
        /** How many attempts in all, the first one included. */
        int maxAttempts();
    }

    /**
     * An explicit schedule: {@code delays.get(i)} comes before retry {@code i + 1}.
     *
     * @param delays one delay per retry, so there are {@code delays.size() + 1} attempts
     */
    public record Schedule(List<Duration> delays) implements Backoff {
        public Schedule {
            delays = List.copyOf(delays);
        }

        @Override
        public int maxAttempts() {
            return delays.size() + 1;
        }
    }

    /**
     * Exponential delays: {@code base × factor^(retry - 1)}, never more than {@code cap}.
     *
     * @param base        the delay before the first retry
     * @param factor      the growth per retry, at least 1
     * @param cap         the longest delay
     * @param maxAttempts attempts in all, the first one included
     */
    public record Exponential(Duration base, double factor, Duration cap, int maxAttempts) implements Backoff {
        public Exponential {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(cap, "cap");
        }
    }
}
