package dev.herald.engine.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {

    /** Fails the test if jitter is drawn when it should not be. */
    static final RandomGenerator NO_RANDOMNESS = () -> {
        throw new AssertionError("randomness used without jitter");
    };

    static Duration d(String iso) {
        return iso == null ? null : Duration.parse(iso);
    }

    @Test
    void defaultsAreTheDocumentedSchedule() {
        RetryPolicy policy = RetryPolicy.defaults();
        assertThat(policy.maxAttempts()).isEqualTo(8);
        assertThat(policy.config()).isEqualTo(new RetryPolicyConfig(
                new RetryPolicyConfig.Schedule(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
                        Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10),
                        Duration.ofHours(10))),
                0.2, Duration.ofHours(1)));
        assertThat(RetryPolicy.builder().build().config()).isEqualTo(policy.config());
    }

    @ParameterizedTest(name = "attempt {0} after {1}")
    @CsvSource({"2, PT5S", "3, PT5M", "4, PT30M", "5, PT2H", "6, PT5H", "7, PT10H", "8, PT10H", "9,", "10,", "1000,"})
    void defaultScheduleWithoutJitterThenExhaustion(int attempt, Duration expected) {
        RetryPolicy policy = RetryPolicy.builder().jitter(0).build();
        assertThat(policy.delayBefore(attempt, null, NO_RANDOMNESS)).isEqualTo(Optional.ofNullable(expected));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5, 6, 7, 8})
    void jitterStaysWithinTwentyPercentAndSpreads(int attempt) {
        Duration base = RetryPolicyBuilder.DEFAULT_DELAYS.get(attempt - 2);
        Random random = new Random(42 + attempt);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 2_000; i++) {
            long nanos = RetryPolicy.defaults().delayBefore(attempt, null, random).orElseThrow().toNanos();
            min = Math.min(min, nanos);
            max = Math.max(max, nanos);
        }
        assertThat(min).isGreaterThanOrEqualTo(Math.round(base.toNanos() * 0.8));
        assertThat(max).isLessThanOrEqualTo(Math.round(base.toNanos() * 1.2));
        // Spread over both sides: 2000 draws come within 2% of each bound.
        assertThat(min).isLessThan(Math.round(base.toNanos() * 0.82));
        assertThat(max).isGreaterThan(Math.round(base.toNanos() * 1.18));
    }

    @Test
    void sameSeedSameDelays() {
        List<Duration> first = new ArrayList<>();
        List<Duration> second = new ArrayList<>();
        Random a = new Random(7);
        Random b = new Random(7);
        for (int attempt = 2; attempt <= 8; attempt++) {
            first.add(RetryPolicy.defaults().delayBefore(attempt, null, a).orElseThrow());
            second.add(RetryPolicy.defaults().delayBefore(attempt, null, b).orElseThrow());
        }
        assertThat(first).isEqualTo(second).doesNotContainAnyElementsOf(RetryPolicyBuilder.DEFAULT_DELAYS);
    }

    @Test
    void fullJitterNeverGoesNegative() {
        RetryPolicy policy = RetryPolicy.builder().jitter(1).delays(Duration.ofSeconds(10)).build();
        Random random = new Random(3);
        for (int i = 0; i < 1_000; i++) {
            assertThat(policy.delayBefore(2, null, random).orElseThrow())
                    .isBetween(Duration.ZERO, Duration.ofSeconds(20));
        }
    }

    @ParameterizedTest(name = "attempt {0} after {1}")
    @CsvSource({"2, PT1S", "3, PT2S", "4, PT4S", "5, PT8S", "6, PT16S", "7, PT32S", "8, PT1M", "9, PT1M", "10, PT1M", "11,"})
    void exponentialGrowsToItsCap(int attempt, Duration expected) {
        RetryPolicy policy = RetryPolicy.builder().jitter(0)
                .exponential(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), 10).build();
        assertThat(policy.maxAttempts()).isEqualTo(10);
        assertThat(policy.delayBefore(attempt, null, NO_RANDOMNESS)).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void exponentialWithHugeFactorDoesNotOverflow() {
        RetryPolicy policy = RetryPolicy.builder().jitter(0)
                .exponential(Duration.ofSeconds(1), 1e300, Duration.ofDays(30), 100).build();
        assertThat(policy.delayBefore(2, null, NO_RANDOMNESS)).contains(Duration.ofSeconds(1));
        assertThat(policy.delayBefore(3, null, NO_RANDOMNESS)).contains(Duration.ofDays(30));
        assertThat(policy.delayBefore(100, null, NO_RANDOMNESS)).contains(Duration.ofDays(30));
        assertThat(policy.delayBefore(101, null, NO_RANDOMNESS)).isEmpty();
    }

    @Test
    void factorOneGivesAConstantDelay() {
        RetryPolicy policy = RetryPolicy.builder().jitter(0)
                .exponential(Duration.ofSeconds(30), 1.0, Duration.ofSeconds(30), 4).build();
        for (int attempt = 2; attempt <= 4; attempt++) {
            assertThat(policy.delayBefore(attempt, null, NO_RANDOMNESS)).contains(Duration.ofSeconds(30));
        }
    }

    @ParameterizedTest(name = "attempt {0}, Retry-After {1} -> {2}")
    @CsvSource({
            "2, ,           PT5S",      // none: the schedule
            "2, PT30S,      PT30S",     // longer than the schedule: honoured
            "2, PT2S,       PT5S",      // shorter: the schedule wins
            "2, PT0S,       PT5S",
            "2, PT-10S,     PT5S",      // negative: ignored
            "2, PT1H,       PT1H",      // exactly the cap
            "2, PT2H,       PT1H",      // beyond the cap: clamped
            "2, PT8760000H, PT1H",      // a thousand years: clamped, no overflow
            "3, PT10M,      PT10M",
            "3, PT1M,       PT5M",
            "4, PT45M,      PT45M",
            "4, PT20M,      PT30M",
            "5, PT3H,       PT2H",      // clamped to the cap, below the schedule
            "6, ,           ",          // exhausted
            "6, PT1S,       "})         // exhausted whatever the receiver says
    void retryAfterReplacesAShorterDelayUpToTheCap(int attempt, Duration retryAfter, Duration expected) {
        RetryPolicy policy = RetryPolicy.builder().jitter(0)
                .delays(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2))
                .build();
        assertThat(policy.delayBefore(attempt, retryAfter, NO_RANDOMNESS)).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void retryAfterCapIsConfigurableAndRetryAfterIsNotJittered() {
        RetryPolicy policy = RetryPolicy.builder().retryAfterCap(Duration.ofMinutes(10)).delays(Duration.ofSeconds(5)).build();
        assertThat(policy.delayBefore(2, Duration.ofHours(2), new Random(1))).contains(Duration.ofMinutes(10));
        assertThat(policy.delayBefore(2, Duration.ofMinutes(3), new Random(1))).contains(Duration.ofMinutes(3));
    }

    @Test
    void noDelaysMeansNoRetries() {
        RetryPolicy policy = RetryPolicy.builder().delays().build();
        assertThat(policy.maxAttempts()).isEqualTo(1);
        assertThat(policy.delayBefore(2, Duration.ofSeconds(1), NO_RANDOMNESS)).isEmpty();
    }

    @Test
    void argumentsAreChecked() {
        RetryPolicy policy = RetryPolicy.defaults();
        for (int bad : new int[] {1, 0, -1, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> policy.delayBefore(bad, null, new Random(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nextAttemptNumber");
        }
        assertThatThrownBy(() -> policy.delayBefore(2, null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("random");
    }
}
