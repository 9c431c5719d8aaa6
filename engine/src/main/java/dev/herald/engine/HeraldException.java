package dev.herald.engine;

import java.util.Objects;

/**
 * Thrown by the engine's public API when input is refused or a record is missing. Nothing is
 * stored when it is thrown. The message is safe to show to the caller: it never holds a secret.
 */
public class HeraldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public HeraldException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public HeraldException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** The machine-readable reason. */
    public ErrorCode code() {
        return code;
    }
}
