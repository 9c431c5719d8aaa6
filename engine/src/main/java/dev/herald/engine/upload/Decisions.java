package dev.herald.engine.upload;

import dev.herald.engine.model.Upload;
import dev.herald.engine.model.UploadStatus;
import dev.herald.engine.model.UploadTrigger;
import dev.herald.engine.spi.ObjectHead;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one look at an upload means. Pure functions of the stored upload, what storage answered and the
 * time, tested with tables; {@link Transitions} writes the result.
 *
 * <p>Two modes, told apart by the status:
 * <ul>
 *   <li><b>VERIFYING</b>: someone (the client's confirm, or a confirm waiting out a storage error) says the
 *       object is complete, so one HEAD decides: missing is {@code OBJECT_MISSING}, present is checked
 *       against the expectations. In this state {@code observedEtag} holds the ETag the client confirmed
 *       with, if any.</li>
 *   <li><b>AWAITING_UPLOAD</b> with {@code AUTO_DETECT}: nobody vouches for the object, so it counts as
 *       complete only when two looks agree on size and ETag: two HEADs of the poller, or a notification and
 *       a HEAD. The first sighting is kept in {@code observedSize}/{@code observedEtag}; missing means "not
 *       yet".</li>
 * </ul>
 * Storage trouble never decides anything: the upload is looked at again with backoff. Past its expiry an
 * unfinished upload expires, whatever storage says.
 */
final class Decisions {

    /** The outcome of one look. */
    sealed interface Step {
        /** Verified: {@code upload.completed}. */
        record Complete(ObjectHead.Found head) implements Step {
        }

        /** Refused: {@code upload.failed}. {@code head} is null when the object was missing. */
        record Reject(RejectionReason reason, String message, ObjectHead.Found head) implements Step {
        }

        /** The watch ran out: {@code upload.expired}. */
        record Expire() implements Step {
        }

        /** Still open: store the new state, publish nothing. {@code headed} counts one more HEAD. */
        record Watch(UploadStatus status, Instant nextCheckAt, Long observedSize, String observedEtag,
                     Instant lastModified, boolean headed, String note) implements Step {
        }

        /** Nothing to write (already final, or a notification for an object storage does not have). */
        record Leave() implements Step {
        }
    }

    /** What a bucket notification said about the object; either part may be null. */
    record Notified(Long size, String etag) {
    }

    private final List<Duration> schedule;
    private final Duration retryFirst;
    private final Duration retryMax;
    private final long maxSize;

    Decisions(List<Duration> schedule, Duration retryFirst, Duration retryMax, long maxSize) {
        this.schedule = List.copyOf(schedule);
        this.retryFirst = retryFirst;
        this.retryMax = retryMax;
        this.maxSize = maxSize;
    }

    static Decisions of(UploadSettings s) {
        return new Decisions(s.pollSchedule(), s.verifyRetryDelay(), s.verifyRetryMaxDelay(), s.maxSize());
    }

    /** When a new upload is first looked at: soon for auto-detect, at expiry otherwise (to expire it). */
    Instant firstCheck(Set<UploadTrigger> triggers, Instant createdAt, Instant expiresAt) {
        return triggers.contains(UploadTrigger.AUTO_DETECT) ? cap(createdAt.plus(schedule.get(0)), expiresAt)
                : expiresAt;
    }

    /**
     * What can be decided without storage: {@link Step.Leave} for a final upload, {@link Step.Expire} past
     * expiry, a reschedule to expiry for an upload nobody needs to HEAD; null when a HEAD is needed.
     */
    Step withoutHead(Upload u, Instant now) {
        if (u.status().isFinal()) {
            return new Step.Leave();
        }
        if (!now.isBefore(u.expiresAt())) {
            return new Step.Expire();
        }
        if (!needsHead(u)) {
            return new Step.Watch(u.status(), u.expiresAt(), u.observedSize(), u.observedEtag(), u.lastModified(),
                    false, "waiting for a confirm");
        }
        return null;
    }

    /** Whether a HEAD can move the upload: it is being verified, or it wants auto-detection. */
    static boolean needsHead(Upload u) {
        return u.status() == UploadStatus.VERIFYING
                || (u.status() == UploadStatus.AWAITING_UPLOAD && u.triggers().contains(UploadTrigger.AUTO_DETECT));
    }

    /**
     * What {@code head} means for an open upload, looked at by the poller ({@code notified} null) or for a
     * bucket notification.
     */
    Step afterHead(Upload u, ObjectHead head, Notified notified, Instant now) {
        Step early = withoutHead(u, now);
        if (early != null) {
            return early;
        }
        if (u.status() == UploadStatus.VERIFYING) {
            return decisive(u, head, now);
        }
        return watching(u, head, notified, now);
    }

    private Step decisive(Upload u, ObjectHead head, Instant now) {
        if (head instanceof ObjectHead.Found f) {
            return verdict(u, f, u.observedEtag());
        }
        if (head instanceof ObjectHead.Missing) {
            return new Step.Reject(RejectionReason.OBJECT_MISSING, "storage has no object at this key", null);
        }
        return new Step.Watch(UploadStatus.VERIFYING, cap(now.plus(retryDelay(u.checks())), u.expiresAt()), null,
                u.observedEtag(), u.lastModified(), true, reason(head));
    }

    private Step watching(Upload u, ObjectHead head, Notified notified, Instant now) {
        if (head instanceof ObjectHead.Found f) {
            boolean agreed = sameLook(u.observedSize(), u.observedEtag(), f)
                    || (notified != null && notified.etag() != null
                    && sameLook(notified.size() != null ? notified.size() : f.size(), notified.etag(), f));
            if (agreed) {
                return verdict(u, f, null);
            }
            return new Step.Watch(UploadStatus.AWAITING_UPLOAD, cap(now.plus(schedule.get(0)), u.expiresAt()),
                    f.size(), f.etag(), f.lastModified(), true, "seen once; looking again to be sure it is complete");
        }
        if (head instanceof ObjectHead.Missing) {
            if (notified != null) {
                return new Step.Leave();
            }
            Duration next = schedule.get(Math.min(u.checks() + 1, schedule.size() - 1));
            return new Step.Watch(UploadStatus.AWAITING_UPLOAD, cap(now.plus(next), u.expiresAt()), null, null, null,
                    true, "not uploaded yet");
        }
        Instant retry = cap(now.plus(retryDelay(u.checks())), u.expiresAt());
        if (notified != null && u.nextCheckAt() != null && u.nextCheckAt().isBefore(retry)) {
            retry = u.nextCheckAt();
        }
        return new Step.Watch(UploadStatus.AWAITING_UPLOAD, retry, u.observedSize(), u.observedEtag(),
                u.lastModified(), true, reason(head));
    }

    /** Checks a present object against what the upload expects. {@code claimedEtag} may be null. */
    Step verdict(Upload u, ObjectHead.Found f, String claimedEtag) {
        if (u.expectedSize() != null && f.size() != u.expectedSize()) {
            return new Step.Reject(RejectionReason.SIZE_MISMATCH,
                    "object has " + f.size() + " bytes, expected " + u.expectedSize(), f);
        }
        if (u.expectedSize() == null && f.size() > maxSize) {
            return new Step.Reject(RejectionReason.SIZE_MISMATCH,
                    "object has " + f.size() + " bytes, more than the limit of " + maxSize, f);
        }
        if (f.contentType() != null
                && !StorageRules.essence(f.contentType()).equals(StorageRules.essence(u.contentType()))) {
            return new Step.Reject(RejectionReason.CONTENT_TYPE_MISMATCH,
                    "object has content type " + f.contentType() + ", expected " + u.contentType(), f);
        }
        String claim = StorageRules.normaliseEtag(claimedEtag);
        if (claim != null && !claim.equals(StorageRules.normaliseEtag(f.etag()))) {
            return new Step.Reject(RejectionReason.ETAG_MISMATCH,
                    "object has ETag " + f.etag() + ", the client confirmed " + claimedEtag, f);
        }
        return new Step.Complete(f);
    }

    /** Backoff after storage trouble: the first delay, doubled per HEAD the upload has had, capped. */
    Duration retryDelay(int checks) {
        Duration d = retryFirst;
        for (int i = 0; i < Math.min(checks, 30) && d.compareTo(retryMax) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(retryMax) > 0 ? retryMax : d;
    }

    private static boolean sameLook(Long size, String etag, ObjectHead.Found f) {
        return etag != null && size != null && size == f.size()
                && Objects.equals(StorageRules.normaliseEtag(etag), StorageRules.normaliseEtag(f.etag()));
    }

    private static String reason(ObjectHead head) {
        return head instanceof ObjectHead.Unavailable u ? "storage unavailable: " + u.reason() : "storage unavailable";
    }

    static Instant cap(Instant at, Instant limit) {
        return at.isAfter(limit) ? limit : at;
    }
}
