package dev.herald.engine.spi;

import dev.herald.engine.model.ErrorKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How one request ended: the receiver answered, or it did not. */
public sealed interface TransportResult {

    /** Time from sending to the answer or the failure. */
    Duration elapsed();

    /**
     * The receiver answered.
     *
     * @param status     HTTP status
     * @param headers    response headers, names in lower case
     * @param bodyPrefix the first {@value dev.herald.engine.model.Attempt#MAX_BODY_BYTES} bytes of the body, as UTF-8 text
     */
    record Responded(int status, Map<String, List<String>> headers, String bodyPrefix, Duration elapsed)
            implements TransportResult {
        public Responded {
            headers = Map.copyOf(headers);
            bodyPrefix = bodyPrefix == null ? "" : bodyPrefix;
        }

        /** The first value of a header, by lower-case name. */
        public Optional<String> header(String lowerCaseName) {
            List<String> values = headers.get(lowerCaseName);
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }
    }

    /** No answer: timeout, refused, reset, DNS, TLS, blocked address. {@code message} holds no secret. */
    record Failed(ErrorKind kind, String message, Duration elapsed) implements TransportResult {
    }
}
