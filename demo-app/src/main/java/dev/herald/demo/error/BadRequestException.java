package dev.herald.demo.error;

import java.util.Objects;

/**
 * Thrown by controllers for a request they cannot read (a missing field, a bad query parameter); answered
 * 400 with {@link ApiErrors#INVALID_REQUEST}. The message is shown to the caller.
 */
public final class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadRequestException(String message) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
    }
}
