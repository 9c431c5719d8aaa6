package dev.herald.demo.error;

import io.micronaut.serde.annotation.Serdeable;
import java.util.Objects;

/**
 * The body of every error response: {@code {"error": {"code": "...", "message": "..."}}}. The code is
 * stable and machine-readable; the message is for people and never holds a secret or a stack trace.
 *
 * @param error what went wrong
 */
@Serdeable
public record ErrorBody(Detail error) {

    /**
     * @param code    an {@link dev.herald.engine.ErrorCode} name or one of {@link ApiErrors}' codes
     * @param message a short explanation
     */
    @Serdeable
    public record Detail(String code, String message) {
        public Detail {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    /** An error body with this code and message. */
    public static ErrorBody of(String code, String message) {
        return new ErrorBody(new Detail(code, message));
    }
}
