package dev.herald.engine.retry;

import dev.herald.engine.model.ErrorKind;
import dev.herald.engine.spi.TransportResult;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides what an attempt's result means:
 * <table>
 *   <caption>Classification</caption>
 *   <tr><th>result</th><th>verdict</th></tr>
 *   <tr><td>2xx</td><td>{@link Verdict.Success}</td></tr>
 *   <tr><td>408, 425, 429, 5xx</td><td>{@link Verdict.Retry}, {@code HTTP_STATUS}; {@code Retry-After}
 *       read on 429 and 503</td></tr>
 *   <tr><td>3xx</td><td>{@link Verdict.Retry}, {@code REDIRECT}: never followed, a redirect could point
 *       anywhere</td></tr>
 *   <tr><td>410</td><td>{@link Verdict.Gone}</td></tr>
 *   <tr><td>other 4xx</td><td>{@link Verdict.Fail}, {@code HTTP_STATUS}</td></tr>
 *   <tr><td>1xx</td><td>{@link Verdict.Retry}, {@code HTTP_STATUS}</td></tr>
 *   <tr><td>status outside 100..599</td><td>{@link Verdict.Retry}, {@code OTHER}</td></tr>
 *   <tr><td>no answer, {@code BLOCKED_ADDRESS}</td><td>{@link Verdict.Fail}: the URL policy would refuse
 *       every retry</td></tr>
 *   <tr><td>no answer, any other kind</td><td>{@link Verdict.Retry} with that kind</td></tr>
 * </table>
 * Pure and thread-safe: no I/O, no clock of its own.
 */
public final class ResponseClassifier {

    private ResponseClassifier() {
    }

    /**
     * Classifies one attempt's result.
     *
     * @param result what the transport returned
     * @param now    the time a {@code Retry-After} HTTP-date is measured from
     * @return the verdict
     * @throws NullPointerException if an argument is null
     */
    public static Verdict classify(TransportResult result, Instant now) {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(now, "now");
        if (result instanceof TransportResult.Failed failed) {
            ErrorKind kind = failed.kind() == null ? ErrorKind.OTHER : failed.kind();
            String reason = describe(kind);
            return kind == ErrorKind.BLOCKED_ADDRESS ? new Verdict.Fail(kind, reason) : new Verdict.Retry(null, kind, reason);
        }
        TransportResult.Responded responded = (TransportResult.Responded) result;
        int status = responded.status();
        String reason = "HTTP " + status;
        if (status < 100 || status > 599) {
            return new Verdict.Retry(null, ErrorKind.OTHER, reason);
        }
        if (status >= 200 && status < 300) {
            return new Verdict.Success();
        }
        if (status >= 300 && status < 400) {
            return new Verdict.Retry(null, ErrorKind.REDIRECT, reason);
        }
        if (status == 410) {
            return new Verdict.Gone(reason);
        }
        if (status >= 400 && status < 500 && status != 408 && status != 425 && status != 429) {
            return new Verdict.Fail(ErrorKind.HTTP_STATUS, reason);
        }
        Duration retryAfter = status == 429 || status == 503
                ? responded.header("retry-after").flatMap(value -> parseRetryAfter(value, now)).orElse(null)
                : null;
        return new Verdict.Retry(retryAfter, ErrorKind.HTTP_STATUS, reason);
    }

    /**
     * Reads a {@code Retry-After} value: whole seconds, or an RFC 1123 HTTP-date measured from {@code now}.
     * Anything else, or a date before {@code now}, gives empty.
     */
    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            return Optional.empty();
        }
        if (trimmed.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // A value too long for a long is nonsense, not a wish to wait for ever.
            return trimmed.length() > 18 ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(trimmed)));
        }
        try {
            Instant date = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return date.isBefore(now) ? Optional.empty() : Optional.of(Duration.between(now, date));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String describe(ErrorKind kind) {
        return switch (kind) {
            case TIMEOUT -> "timeout";
            case CONNECTION_REFUSED -> "connection refused";
            case CONNECTION_RESET -> "connection reset";
            case DNS_FAILURE -> "DNS failure";
            case TLS -> "TLS failure";
            case BLOCKED_ADDRESS -> "blocked address";
            case ENDPOINT_GONE -> "endpoint gone";
            case REDIRECT -> "redirect";
            case HTTP_STATUS -> "HTTP error";
            case OTHER -> "transport failure";
        };
    }
}
