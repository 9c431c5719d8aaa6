package dev.herald.engine.s3;

import dev.herald.engine.spi.ObjectHead;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Turns what the SDK answered to a HEAD into an {@link ObjectHead}. Pure functions, tested with tables.
 *
 * <p>Only a 404 is a verdict ({@code Missing}). Everything else that goes wrong is {@code Unavailable}, to be
 * asked again later: throttling and 5xx obviously, but also 403 (AWS answers 403 instead of 404 for a
 * missing key when the caller may not list the bucket, and a credentials problem says nothing about the
 * object), and redirects or 400s from a wrong region or endpoint, which an operator can fix while uploads wait.
 */
final class HeadOutcomes {
    static final int MAX_REASON_LENGTH = 300;

    private static final ObjectHead MISSING = new ObjectHead.Missing();
    private static final Set<String> THROTTLING_CODES = Set.of(
            "SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequests",
            "TooManyRequestsException", "RequestThrottled", "RequestThrottledException");

    private HeadOutcomes() {
    }

    static ObjectHead found(HeadObjectResponse response) {
        if (response.contentLength() == null) {
            return new ObjectHead.Unavailable("storage answered HEAD without a Content-Length");
        }
        String etag = unquote(response.eTag());
        if (etag == null || etag.isEmpty()) {
            // Completion is deduplicated on the ETag; an object without one cannot be confirmed safely.
            return new ObjectHead.Unavailable("storage answered HEAD without an ETag");
        }
        return new ObjectHead.Found(response.contentLength(), etag, response.contentType(), response.lastModified());
    }

    static ObjectHead failed(Throwable t) {
        if (t instanceof NoSuchKeyException) {
            return MISSING;
        }
        if (t instanceof SdkServiceException e) {
            return fromStatus(e.statusCode(), errorCode(e));
        }
        if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException) {
            return unavailable("timed out: " + firstLine(t.getMessage()));
        }
        if (t instanceof AbortedException) {
            return unavailable("interrupted");
        }
        if (t instanceof SdkClientException) {
            return unavailable("unreachable: " + firstLine(t.getMessage()));
        }
        return unavailable("unexpected error: " + t.getClass().getName());
    }

    /** The outcome of an error answer with HTTP {@code status} and S3 error {@code code} (may be null). */
    static ObjectHead fromStatus(int status, String code) {
        String answer = "HTTP " + status + (code == null || code.isEmpty() ? "" : " " + code);
        if (status == 404) {
            return MISSING;
        }
        if (status == 429 || status == 503 || (code != null && THROTTLING_CODES.contains(code))) {
            return unavailable("throttled (" + answer + ")");
        }
        if (status >= 500) {
            return unavailable("storage error (" + answer + ")");
        }
        if (status == 401 || status == 403) {
            return unavailable("access denied (" + answer + "): check the credentials and their read access to the bucket");
        }
        if (status == 301 || status == 307 || status == 400) {
            return unavailable("storage refused the request (" + answer + "): check the region and the endpoint");
        }
        return unavailable("unexpected storage answer (" + answer + ")");
    }

    static String unquote(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.strip();
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1);
        }
        return e;
    }

    private static String errorCode(SdkServiceException e) {
        if (e instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode();
        }
        return null;
    }

    private static ObjectHead unavailable(String reason) {
        return new ObjectHead.Unavailable(reason.length() > MAX_REASON_LENGTH
                ? reason.substring(0, MAX_REASON_LENGTH - 1) + "…" : reason);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
