package dev.herald.engine.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One HTTP try of a delivery, as the delivery log shows it.
 *
 * @param id             {@code att_…}
 * @param deliveryId     the delivery tried
 * @param number         1 for the first attempt
 * @param startedAt      when the request left
 * @param duration       until the answer or the failure
 * @param responseStatus the HTTP status, or 0 when there was no answer
 * @param responseBody   the first 1 KiB of the answer, as text, NUL characters replaced by U+FFFD (PostgreSQL
 *                       cannot keep them, and a receiver's answer must not stop its attempt being recorded);
 *                       empty when none
 * @param errorKind      why it failed, or null when it succeeded
 * @param errorMessage   a short description of the failure, or null; never holds a secret; NULs replaced too
 */
public record Attempt(String id, String deliveryId, int number, Instant startedAt, Duration duration,
                      int responseStatus, String responseBody, ErrorKind errorKind, String errorMessage) {
    /** The longest response body prefix kept, in bytes. */
    public static final int MAX_BODY_BYTES = 1024;

    public Attempt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
        responseBody = responseBody == null ? "" : withoutNul(responseBody);
        errorMessage = errorMessage == null ? null : withoutNul(errorMessage);
    }

    private static String withoutNul(String text) {
        return text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\uFFFD');
    }

    /** Whether the receiver accepted the request. */
    public boolean succeeded() {
        return errorKind == null;
    }
}
