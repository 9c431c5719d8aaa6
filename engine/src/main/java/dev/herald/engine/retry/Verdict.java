package dev.herald.engine.retry;

import dev.herald.engine.model.ErrorKind;
import java.time.Duration;
import java.util.Objects;

/** What one attempt's result means for its delivery; decided by {@link ResponseClassifier}. */
public sealed interface Verdict {

    /** The receiver took the webhook (2xx): the delivery SUCCEEDED. */
    record Success() implements Verdict {
    }

    /**
     * Worth trying again: the delivery is rescheduled by the {@link RetryPolicy}, or DEAD when attempts
     * are exhausted.
     *
     * @param retryAfter the receiver's {@code Retry-After} (429 and 503 only), or null
     * @param kind       what went wrong
     * @param reason     short description for the delivery's last error, like {@code "HTTP 503"}
     */
    record Retry(Duration retryAfter, ErrorKind kind, String reason) implements Verdict {
        public Retry {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * Refused for good (a 4xx other than 408, 410, 425 and 429, or a blocked address): the delivery
     * FAILED at once and is not retried.
     *
     * @param kind   what went wrong
     * @param reason short description, like {@code "HTTP 400"}
     */
    record Fail(ErrorKind kind, String reason) implements Verdict {
        public Fail {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The receiver answered 410 Gone: the delivery FAILED and the endpoint should be disabled.
     *
     * @param reason short description, {@code "HTTP 410"}
     */
    record Gone(String reason) implements Verdict {
        public Gone {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
