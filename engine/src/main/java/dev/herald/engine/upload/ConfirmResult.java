package dev.herald.engine.upload;

import dev.herald.engine.model.Upload;
import java.time.Instant;
import java.util.Objects;

/**
 * What a {@link Uploads#confirm confirm} found. Unknown, foreign and expired tokens are not results but
 * exceptions ({@link dev.herald.engine.ErrorCode#UPLOAD_NOT_FOUND}, {@link dev.herald.engine.ErrorCode#UPLOAD_EXPIRED}).
 */
public sealed interface ConfirmResult {

    /** The upload as stored after the confirm. */
    Upload upload();

    /**
     * The object matched and {@code upload.completed} is on its way.
     *
     * @param alreadyVerified true when an earlier confirm, poll or notification verified it: nothing new was
     *                        published
     */
    record Verified(Upload upload, boolean alreadyVerified) implements ConfirmResult {
        public Verified {
            Objects.requireNonNull(upload, "upload");
        }
    }

    /**
     * The object was missing or did not match, and {@code upload.failed} was published (now or earlier).
     *
     * @param reason why
     */
    record Rejected(Upload upload, RejectionReason reason) implements ConfirmResult {
        public Rejected {
            Objects.requireNonNull(upload, "upload");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Storage could not answer, or another trigger is verifying the upload at this moment. The upload stays
     * {@code VERIFYING}; the engine asks storage again at {@code nextCheckAt} and publishes the verdict then.
     * A storage error is never reported as a failure.
     *
     * @param nextCheckAt when storage is asked again
     * @param reason      what storage answered, for logs
     */
    record Pending(Upload upload, Instant nextCheckAt, String reason) implements ConfirmResult {
        public Pending {
            Objects.requireNonNull(upload, "upload");
        }
    }
}
