package dev.herald.engine.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engine.spi.ObjectHead;
import dev.herald.engine.spi.ObjectVerifier;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class UploadSettingsTest {
    static final UploadUrlSigner SIGNER = new UploadUrlSigner() {
        @Override
        public PresignedUpload presignPut(String bucket, String key, String contentType, Long size, Duration expiry) {
            return new PresignedUpload(URI.create("https://s/" + key), "PUT", Map.of(), size, Instant.EPOCH);
        }

        @Override
        public URI publicUrl(String bucket, String key) {
            return URI.create("https://s/" + key);
        }

        @Override
        public String provider() {
            return "test";
        }
    };
    static final ObjectVerifier VERIFIER = (bucket, key) -> new ObjectHead.Missing();

    static UploadSettings.Builder valid() {
        return UploadSettings.builder().signer(SIGNER).verifier(VERIFIER);
    }

    @Test
    void defaults() {
        UploadSettings s = valid().build();

        assertThat(s.signer()).isSameAs(SIGNER);
        assertThat(s.verifier()).isSameAs(VERIFIER);
        assertThat(s.defaultBucket()).isEmpty();
        assertThat(s.allowedContentTypes()).isEmpty();
        assertThat(s.maxSize()).isEqualTo(5L * 1024 * 1024 * 1024);
        assertThat(s.maxMetadataBytes()).isEqualTo(4096);
        assertThat(s.urlExpiry()).isEqualTo(Duration.ofHours(1));
        assertThat(s.watchExpiry()).isEqualTo(Duration.ofHours(24));
        assertThat(s.pollSchedule()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(15), Duration.ofSeconds(60));
        assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.pollBatchSize()).isEqualTo(100);
        assertThat(s.headThreads()).isEqualTo(4);
        assertThat(s.maxHeadsPerSecond()).isEqualTo(50);
        assertThat(s.verifyRetryDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.verifyRetryMaxDelay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.keyPrefix()).isEqualTo("uploads/");
    }

    @Test
    void everySettingIsKept() {
        UploadSettings s = valid().defaultBucket("b-1").allowedContentTypes("Image/*", "application/pdf")
                .maxSize(10).maxMetadataBytes(100).urlExpiry(Duration.ofMinutes(5)).watchExpiry(Duration.ofMinutes(5))
                .pollSchedule(Duration.ofMillis(10)).pollInterval(Duration.ofMillis(10)).pollBatchSize(1)
                .headThreads(1).maxHeadsPerSecond(1).verifyRetry(Duration.ofMillis(10), Duration.ofMillis(10))
                .keyPrefix("").build();

        assertThat(s.defaultBucket()).contains("b-1");
        assertThat(s.allowedContentTypes()).containsExactlyInAnyOrder("image/*", "application/pdf");
        assertThat(s.maxSize()).isEqualTo(10);
        assertThat(s.pollSchedule()).containsExactly(Duration.ofMillis(10));
        assertThat(s.keyPrefix()).isEmpty();
    }

    @Test
    void builderIsReusableAndBuiltSettingsNeverChange() {
        UploadSettings.Builder b = valid().urlExpiry(Duration.ofMinutes(10));
        UploadSettings first = b.build();
        b.watchExpiry(Duration.ofMinutes(10));

        assertThat(first.watchExpiry()).isEqualTo(Duration.ofHours(24));
        assertThat(b.build().watchExpiry()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void missingArgumentsAreNamed() {
        UploadSettings.Builder b = UploadSettings.builder();
        npe(() -> b.signer(null), "signer");
        npe(() -> b.verifier(null), "verifier");
        npe(() -> b.defaultBucket(null), "defaultBucket");
        npe(() -> b.allowedContentTypes((String[]) null), "ranges");
        npe(() -> b.allowedContentTypes("image/png", null), "range");
        npe(() -> b.urlExpiry(null), "urlExpiry");
        npe(() -> b.watchExpiry(null), "watchExpiry");
        npe(() -> b.pollSchedule((Duration[]) null), "delays");
        npe(() -> b.pollSchedule(Duration.ofSeconds(1), null), "delay");
        npe(() -> b.pollInterval(null), "pollInterval");
        npe(() -> b.verifyRetry(null, Duration.ofSeconds(1)), "first");
        npe(() -> b.verifyRetry(Duration.ofSeconds(1), null), "max");
        npe(() -> b.keyPrefix(null), "keyPrefix");
    }

    @Test
    void outOfRangeValuesStateTheRange() {
        UploadSettings.Builder b = UploadSettings.builder();
        iae(() -> b.defaultBucket("has space"), "bucket must be 1 to 255");
        iae(() -> b.allowedContentTypes(), "allowedContentTypes needs at least one");
        iae(() -> b.allowedContentTypes("image"), "not a media range");
        iae(() -> b.allowedContentTypes("*/png"), "not a media range");
        iae(() -> b.maxSize(0), "maxSize must be within [1, 5368709120], was 0");
        iae(() -> b.maxSize(5L * 1024 * 1024 * 1024 + 1), "maxSize must be within");
        iae(() -> b.maxMetadataBytes(1), "maxMetadataBytes must be within [2, 65536], was 1");
        iae(() -> b.maxMetadataBytes(65_537), "maxMetadataBytes must be within");
        iae(() -> b.urlExpiry(Duration.ofSeconds(59)), "urlExpiry must be within [PT1M, PT168H], was PT59S");
        iae(() -> b.urlExpiry(Duration.ofDays(8)), "urlExpiry must be within");
        iae(() -> b.watchExpiry(Duration.ofSeconds(1)), "watchExpiry must be within [PT1M, PT168H]");
        iae(() -> b.pollSchedule(), "pollSchedule needs 1 to 20 delays, was 0");
        iae(() -> b.pollSchedule(new Duration[21]), "pollSchedule needs 1 to 20 delays, was 21");
        iae(() -> b.pollSchedule(Duration.ofMillis(9)), "delay must be within [PT0.01S, PT1H]");
        iae(() -> b.pollInterval(Duration.ofMinutes(2)), "pollInterval must be within [PT0.01S, PT1M]");
        iae(() -> b.pollBatchSize(0), "pollBatchSize must be within [1, 10000], was 0");
        iae(() -> b.headThreads(257), "headThreads must be within [1, 256], was 257");
        iae(() -> b.maxHeadsPerSecond(0), "maxHeadsPerSecond must be within [1, 100000], was 0");
        iae(() -> b.verifyRetry(Duration.ofMillis(5), Duration.ofSeconds(1)), "first must be within");
        iae(() -> b.verifyRetry(Duration.ofSeconds(2), Duration.ofSeconds(1)), "max must be within [PT2S, PT1H]");
        iae(() -> b.keyPrefix("no-slash"), "keyPrefix must be empty or end with '/'");
        iae(() -> b.keyPrefix("/abs/"), "keyPrefix must not start with '/'");
        iae(() -> b.keyPrefix("a/../"), "keyPrefix must not contain '.' or '..' segments");
        // A refused value leaves the setting free.
        assertThat(b.signer(SIGNER).verifier(VERIFIER).maxSize(1).build().maxSize()).isEqualTo(1);
    }

    @Test
    void settingTwiceIsAClash() {
        ise(() -> valid().signer(SIGNER), "signer was already set");
        ise(() -> valid().verifier(VERIFIER), "verifier was already set");
        ise(() -> valid().maxSize(1).maxSize(2), "maxSize was already set");
        ise(() -> valid().pollSchedule(Duration.ofSeconds(1)).pollSchedule(Duration.ofSeconds(1)),
                "pollSchedule was already set");
    }

    @Test
    void buildChecksRequiredAndCrossSettings() {
        ise(() -> UploadSettings.builder().verifier(VERIFIER).build(), "signer(...) is required");
        ise(() -> UploadSettings.builder().signer(SIGNER).build(), "verifier(...) is required");
        ise(() -> valid().urlExpiry(Duration.ofHours(2)).watchExpiry(Duration.ofHours(1)).build(),
                "urlExpiry (PT2H) must not be longer than watchExpiry (PT1H)");
        assertThat(valid().urlExpiry(Duration.ofHours(2)).watchExpiry(Duration.ofHours(2)).build().urlExpiry())
                .isEqualTo(Duration.ofHours(2));
        assertThat(List.of(valid().build().toString())).allMatch(t -> t.contains("pollSchedule"));
    }

    @Test
    void engineChecksThatUploadEventsFitItsPayloadLimit() {
        ise(() -> dev.herald.engine.Herald.builder().maxPayloadBytes(12 * 1024 - 1).uploads(valid().build()).build(),
                "uploads' maxMetadataBytes (4096) plus 8192 bytes");
        try (dev.herald.engine.Herald ok = dev.herald.engine.Herald.builder().maxPayloadBytes(12 * 1024)
                .uploads(valid().build()).build()) {
            assertThat(ok.uploads()).isNotNull();
        }
    }

    private static void npe(Executable call, String name) {
        assertThatThrownBy(call::execute).isInstanceOf(NullPointerException.class).hasMessage(name);
    }

    private static void iae(Executable call, String messageStart) {
        assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(messageStart);
    }

    private static void ise(Executable call, String messageStart) {
        assertThatThrownBy(call::execute).isInstanceOf(IllegalStateException.class).hasMessageStartingWith(messageStart);
    }
}
