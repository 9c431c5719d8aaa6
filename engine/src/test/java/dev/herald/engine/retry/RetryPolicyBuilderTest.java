package dev.herald.engine.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyBuilderTest {

    static final Duration S = Duration.ofSeconds(1);

    @Test
    void delaysRejectBadArguments() {
        assertThatThrownBy(() -> RetryPolicy.builder().delays((Duration[]) null))
                .isInstanceOf(NullPointerException.class).hasMessage("delays");
        assertThatThrownBy(() -> RetryPolicy.builder().delays((List<Duration>) null))
                .isInstanceOf(NullPointerException.class).hasMessage("delays");
        assertThatThrownBy(() -> RetryPolicy.builder().delays(S, null))
                .isInstanceOf(NullPointerException.class).hasMessage("delays[1]");
        for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofDays(30).plusNanos(1))) {
            assertThatThrownBy(() -> RetryPolicy.builder().delays(S, S, bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delays[2]").hasMessageContaining("(0, ");
        }
        assertThatThrownBy(() -> RetryPolicy.builder().delays(Collections.nCopies(100, S)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 99 delays");
        assertThatThrownBy(() -> RetryPolicy.builder().delays(Collections.nCopies(101, S)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(RetryPolicy.builder().delays(Collections.nCopies(99, Duration.ofDays(30))).build().maxAttempts())
                .isEqualTo(100);
    }

    @Test
    void exponentialRejectsBadArguments() {
        assertThatThrownBy(() -> RetryPolicy.builder().exponential(null, 2, S, 3))
                .isInstanceOf(NullPointerException.class).hasMessage("base");
        assertThatThrownBy(() -> RetryPolicy.builder().exponential(S, 2, null, 3))
                .isInstanceOf(NullPointerException.class).hasMessage("cap");
        for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(-1))) {
            assertThatThrownBy(() -> RetryPolicy.builder().exponential(bad, 2, S, 3))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("base");
            assertThatThrownBy(() -> RetryPolicy.builder().exponential(S, 2, bad, 3))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cap");
        }
        assertThatThrownBy(() -> RetryPolicy.builder().exponential(S, 2, Duration.ofDays(31), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cap");
        assertThatThrownBy(() -> RetryPolicy.builder().exponential(Duration.ofMinutes(2), 2, Duration.ofMinutes(1), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base must be <= cap");
        for (double bad : new double[] {0.99, 0, -2, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> RetryPolicy.builder().exponential(S, bad, S, 3))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("factor");
        }
        for (int bad : new int[] {0, -1, 101, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> RetryPolicy.builder().exponential(S, 2, S, bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts must be in [1, 100]");
        }
        assertThat(RetryPolicy.builder().exponential(S, 1, S, 1).build().maxAttempts()).isEqualTo(1);
        assertThat(RetryPolicy.builder().exponential(S, 1, S, 100).build().maxAttempts()).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 1.01, Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY})
    void jitterRejectsOutOfRange(double bad) {
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1]");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 0.5, 1})
    void jitterAcceptsItsRange(double fraction) {
        assertThat(RetryPolicy.builder().jitter(fraction).build().config().jitter()).isEqualTo(fraction);
    }

    @Test
    void retryAfterCapRejectsBadArguments() {
        assertThatThrownBy(() -> RetryPolicy.builder().retryAfterCap(null))
                .isInstanceOf(NullPointerException.class).hasMessage("cap");
        for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofDays(31))) {
            assertThatThrownBy(() -> RetryPolicy.builder().retryAfterCap(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cap must be in (0, ");
        }
    }

    @Test
    void clashesAndRepeatsAreIllegalStates() {
        assertThatThrownBy(() -> RetryPolicy.builder().delays(S).exponential(S, 2, S, 3))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exponential(...)").hasMessageContaining("delays(...)");
        assertThatThrownBy(() -> RetryPolicy.builder().exponential(S, 2, S, 3).delays(S))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exponential(...)").hasMessageContaining("delays(...)");
        assertThatThrownBy(() -> RetryPolicy.builder().delays(S).delays(S))
                .isInstanceOf(IllegalStateException.class).hasMessage("delays(...) was already set");
        assertThatThrownBy(() -> RetryPolicy.builder().exponential(S, 2, S, 3).exponential(S, 2, S, 3))
                .isInstanceOf(IllegalStateException.class).hasMessage("exponential(...) was already set");
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(0.1).jitter(0.2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("jitter");
        assertThatThrownBy(() -> RetryPolicy.builder().retryAfterCap(S).retryAfterCap(S))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("retryAfterCap");
    }

    @Test
    void aBadArgumentIsReportedBeforeAClash() {
        assertThatThrownBy(() -> RetryPolicy.builder().delays(S).exponential(S, 0.5, S, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("factor");
    }

    @Test
    void buildingCopiesTheSettings() {
        Duration[] delays = {Duration.ofSeconds(1), Duration.ofSeconds(2)};
        RetryPolicyBuilder builder = RetryPolicy.builder().delays(delays);
        RetryPolicy first = builder.build();
        delays[0] = Duration.ofHours(9);
        builder.jitter(0);
        RetryPolicy second = builder.build();

        assertThat(first.config().jitter()).isEqualTo(RetryPolicyBuilder.DEFAULT_JITTER);
        assertThat(second.config().jitter()).isZero();
        assertThat(first.config().backoff()).isEqualTo(second.config().backoff())
                .isEqualTo(new RetryPolicyConfig.Schedule(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2))));
        assertThat(second.delayBefore(2, null, new Random(1))).contains(Duration.ofSeconds(1));
        assertThatThrownBy(() -> ((RetryPolicyConfig.Schedule) first.config().backoff()).delays().add(S))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void configShowsTheExponentialSettings() {
        RetryPolicyConfig config = RetryPolicy.builder().exponential(S, 1.5, Duration.ofMinutes(10), 12)
                .retryAfterCap(Duration.ofMinutes(5)).build().config();
        assertThat(config).isEqualTo(new RetryPolicyConfig(
                new RetryPolicyConfig.Exponential(S, 1.5, Duration.ofMinutes(10), 12), 0.2, Duration.ofMinutes(5)));
        assertThat(config.maxAttempts()).isEqualTo(12);
    }
}
