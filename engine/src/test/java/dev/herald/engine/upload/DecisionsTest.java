package dev.herald.engine.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engine.model.Upload;
import dev.herald.engine.model.UploadStatus;
import dev.herald.engine.model.UploadTrigger;
import dev.herald.engine.spi.ObjectHead;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure part: what one look at an upload decides, as tables. */
class DecisionsTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant NOW = T0.plusSeconds(60);
    static final Instant EXPIRES = T0.plus(Duration.ofHours(24));
    static final Decisions DECISIONS = new Decisions(
            List.of(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60)),
            Duration.ofSeconds(1), Duration.ofSeconds(60), 1000);
    static final ObjectHead.Found FOUND = new ObjectHead.Found(100, "abc", "image/png", T0.plusSeconds(30));
    static final ObjectHead MISSING = new ObjectHead.Missing();
    static final ObjectHead DOWN = new ObjectHead.Unavailable("HTTP 503 SlowDown");

    static Upload upload(UploadStatus status, Set<UploadTrigger> triggers, Long expectedSize, int checks,
                         Long observedSize, String observedEtag) {
        return new Upload("wh_01ARZ3NDEKTSV4RRFFQ69G5FAV", "acme", null, "s3", "b", "k", "f.png", "image/png",
                expectedSize, triggers, "ep_1", "{}", status, T0.plusSeconds(3600), EXPIRES, NOW, checks, observedSize,
                observedEtag, null, null, T0, T0, 3);
    }

    static Upload awaiting(int checks, Long observedSize, String observedEtag) {
        return upload(UploadStatus.AWAITING_UPLOAD, Set.of(UploadTrigger.AUTO_DETECT), null, checks, observedSize,
                observedEtag);
    }

    static Upload verifying(Long expectedSize, String claim) {
        return upload(UploadStatus.VERIFYING, Set.of(UploadTrigger.CLIENT_CONFIRM), expectedSize, 0, null, claim);
    }

    // ---- confirmed (VERIFYING): one HEAD decides ----

    @Test
    void confirmedAndFoundIsComplete() {
        assertThat(DECISIONS.afterHead(verifying(100L, null), FOUND, null, NOW))
                .isEqualTo(new Decisions.Step.Complete(FOUND));
        assertThat(DECISIONS.afterHead(verifying(null, "\"ABC\""), FOUND, null, NOW))
                .isEqualTo(new Decisions.Step.Complete(FOUND));
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "99,    null, image/png,  SIZE_MISMATCH",
            "null,  null, image/png,  null",
            "100,   abd,  image/png,  ETAG_MISMATCH",
            "100,   null, text/html,  CONTENT_TYPE_MISMATCH",
            "100,   null, IMAGE/PNG;q=1, null",
            "100,   null, null,       null"})
    void confirmedAndFoundIsCheckedAgainstExpectations(Long expectedSize, String claim, String storedType,
                                                        RejectionReason reason) {
        ObjectHead.Found head = new ObjectHead.Found(100, "abc", storedType, null);
        Decisions.Step step = DECISIONS.afterHead(verifying(expectedSize, claim), head, null, NOW);
        if (reason == null) {
            assertThat(step).isInstanceOf(Decisions.Step.Complete.class);
        } else {
            assertThat(step).isInstanceOfSatisfying(Decisions.Step.Reject.class,
                    r -> assertThat(r.reason()).isEqualTo(reason));
        }
    }

    @Test
    void objectOverTheLimitWithoutExpectedSizeIsASizeMismatch() {
        ObjectHead.Found big = new ObjectHead.Found(1001, "abc", "image/png", null);
        assertThat(DECISIONS.afterHead(verifying(null, null), big, null, NOW)).isInstanceOfSatisfying(
                Decisions.Step.Reject.class, r -> assertThat(r.message()).contains("more than the limit of 1000"));
    }

    @Test
    void confirmedAndMissingIsObjectMissing() {
        assertThat(DECISIONS.afterHead(verifying(null, null), MISSING, null, NOW)).isInstanceOfSatisfying(
                Decisions.Step.Reject.class, r -> {
                    assertThat(r.reason()).isEqualTo(RejectionReason.OBJECT_MISSING);
                    assertThat(r.head()).isNull();
                });
    }

    @Test
    void confirmedAndStorageDownWaitsKeepingTheClaim() {
        Decisions.Step step = DECISIONS.afterHead(verifying(null, "abc"), DOWN, null, NOW);

        assertThat(step).isEqualTo(new Decisions.Step.Watch(UploadStatus.VERIFYING, NOW.plusSeconds(1), null, "abc",
                null, true, "storage unavailable: HTTP 503 SlowDown"));
    }

    // ---- auto-detect (AWAITING_UPLOAD): two agreeing looks ----

    @Test
    void firstSightingIsRecordedAndLookedAtAgainSoon() {
        assertThat(DECISIONS.afterHead(awaiting(2, null, null), FOUND, null, NOW)).isEqualTo(new Decisions.Step.Watch(
                UploadStatus.AWAITING_UPLOAD, NOW.plusSeconds(2), 100L, "abc", FOUND.lastModified(), true,
                "seen once; looking again to be sure it is complete"));
    }

    @Test
    void secondAgreeingSightingCompletes() {
        assertThat(DECISIONS.afterHead(awaiting(3, 100L, "abc"), FOUND, null, NOW))
                .isEqualTo(new Decisions.Step.Complete(FOUND));
    }

    @ParameterizedTest
    @CsvSource({"99,abc", "100,abd"})
    void disagreeingSightingStartsOver(long size, String etag) {
        assertThat(DECISIONS.afterHead(awaiting(3, size, etag), FOUND, null, NOW)).isInstanceOfSatisfying(
                Decisions.Step.Watch.class, w -> {
                    assertThat(w.observedSize()).isEqualTo(100);
                    assertThat(w.observedEtag()).isEqualTo("abc");
                });
    }

    @ParameterizedTest
    @CsvSource({"0,5", "1,15", "2,60", "3,60", "40,60"})
    void missingFollowsTheSchedule(int checks, long delaySeconds) {
        assertThat(DECISIONS.afterHead(awaiting(checks, 100L, "abc"), MISSING, null, NOW)).isEqualTo(
                new Decisions.Step.Watch(UploadStatus.AWAITING_UPLOAD, NOW.plusSeconds(delaySeconds), null, null, null,
                        true, "not uploaded yet"));
    }

    @Test
    void storageDownBacksOffAndKeepsTheSighting() {
        assertThat(DECISIONS.afterHead(awaiting(2, 100L, "abc"), DOWN, null, NOW)).isInstanceOfSatisfying(
                Decisions.Step.Watch.class, w -> {
                    assertThat(w.nextCheckAt()).isEqualTo(NOW.plusSeconds(4));
                    assertThat(w.observedEtag()).isEqualTo("abc");
                    assertThat(w.status()).isEqualTo(UploadStatus.AWAITING_UPLOAD);
                });
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"100,abc,complete", "null,\"ABC\",complete", "99,abc,watch",
            "100,zzz,watch", "null,null,watch"})
    void notificationCountsAsTheFirstLook(Long size, String etag, String expected) {
        Decisions.Step step = DECISIONS.afterHead(awaiting(0, null, null), FOUND, new Decisions.Notified(size, etag),
                NOW);
        assertThat(step).isInstanceOf(expected.equals("complete") ? Decisions.Step.Complete.class
                : Decisions.Step.Watch.class);
    }

    @Test
    void notificationForAMissingObjectChangesNothing() {
        assertThat(DECISIONS.afterHead(awaiting(0, null, null), MISSING, new Decisions.Notified(1L, "x"), NOW))
                .isInstanceOf(Decisions.Step.Leave.class);
    }

    // ---- what needs no HEAD ----

    @Test
    void expiryWinsWhateverStorageSays() {
        assertThat(DECISIONS.afterHead(awaiting(0, null, null), FOUND, null, EXPIRES))
                .isInstanceOf(Decisions.Step.Expire.class);
        assertThat(DECISIONS.withoutHead(verifying(null, null), EXPIRES.plusSeconds(1)))
                .isInstanceOf(Decisions.Step.Expire.class);
    }

    @Test
    void finalUploadsAreLeftAlone() {
        for (UploadStatus s : List.of(UploadStatus.VERIFIED, UploadStatus.REJECTED, UploadStatus.EXPIRED)) {
            Upload u = upload(s, Set.of(UploadTrigger.AUTO_DETECT), null, 1, null, null);
            assertThat(DECISIONS.afterHead(u, FOUND, null, EXPIRES.plusSeconds(5)))
                    .isInstanceOf(Decisions.Step.Leave.class);
        }
    }

    @Test
    void confirmOnlyUploadsAreNotHeadedButRescheduledToExpiry() {
        Upload u = upload(UploadStatus.AWAITING_UPLOAD, Set.of(UploadTrigger.CLIENT_CONFIRM), null, 0, null, null);

        assertThat(Decisions.needsHead(u)).isFalse();
        assertThat(DECISIONS.withoutHead(u, NOW)).isInstanceOfSatisfying(Decisions.Step.Watch.class, w -> {
            assertThat(w.nextCheckAt()).isEqualTo(EXPIRES);
            assertThat(w.headed()).isFalse();
        });
        assertThat(DECISIONS.withoutHead(awaiting(0, null, null), NOW)).isNull();
    }

    @Test
    void firstLookIsSoonForAutoDetectAndAtExpiryOtherwise() {
        assertThat(DECISIONS.firstCheck(Set.of(UploadTrigger.AUTO_DETECT), T0, EXPIRES)).isEqualTo(T0.plusSeconds(2));
        assertThat(DECISIONS.firstCheck(Set.of(UploadTrigger.CLIENT_CONFIRM), T0, EXPIRES)).isEqualTo(EXPIRES);
        assertThat(DECISIONS.firstCheck(Set.of(UploadTrigger.AUTO_DETECT), T0, T0.plusSeconds(1)))
                .isEqualTo(T0.plusSeconds(1));
    }

    @ParameterizedTest
    @CsvSource({"0,1", "1,2", "2,4", "5,32", "6,60", "100,60"})
    void storageRetryDoublesUpToTheCap(int checks, long seconds) {
        assertThat(DECISIONS.retryDelay(checks)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void nothingIsScheduledPastExpiry() {
        Upload nearEnd = new Upload("wh_01ARZ3NDEKTSV4RRFFQ69G5FAV", "acme", null, "s3", "b", "k", "f", "image/png",
                null, Set.of(UploadTrigger.AUTO_DETECT), "ep_1", "{}", UploadStatus.AWAITING_UPLOAD, NOW, NOW.plusSeconds(1),
                NOW, 9, null, null, null, null, T0, T0, 1);

        assertThat(DECISIONS.afterHead(nearEnd, MISSING, null, NOW)).isInstanceOfSatisfying(Decisions.Step.Watch.class,
                w -> assertThat(w.nextCheckAt()).isEqualTo(NOW.plusSeconds(1)));
    }
}
