package dev.herald.engine.s3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engine.spi.ObjectHead;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class HeadOutcomesTest {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "404 | -                     | Missing",
            "404 | NoSuchBucket          | Missing",
            "503 | SlowDown              | throttled (HTTP 503 SlowDown)",
            "503 | -                     | throttled (HTTP 503)",
            "429 | -                     | throttled (HTTP 429)",
            "400 | RequestLimitExceeded  | throttled (HTTP 400 RequestLimitExceeded)",
            "500 | InternalError         | storage error (HTTP 500 InternalError)",
            "504 | -                     | storage error (HTTP 504)",
            "403 | AccessDenied          | access denied (HTTP 403 AccessDenied): check the credentials and their read access to the bucket",
            "401 | -                     | access denied (HTTP 401): check the credentials and their read access to the bucket",
            "301 | PermanentRedirect     | storage refused the request (HTTP 301 PermanentRedirect): check the region and the endpoint",
            "307 | -                     | storage refused the request (HTTP 307): check the region and the endpoint",
            "400 | AuthorizationHeaderMalformed | storage refused the request (HTTP 400 AuthorizationHeaderMalformed): check the region and the endpoint",
            "412 | PreconditionFailed    | unexpected storage answer (HTTP 412 PreconditionFailed)",
            "405 | ''                    | unexpected storage answer (HTTP 405)",
    })
    void statusAndCodeDecideTheOutcome(int status, String code, String expected) {
        assertThat(describe(HeadOutcomes.fromStatus(status, code))).isEqualTo(expected);
    }

    @Test
    void noSuchKeyIsMissing() {
        assertThat(HeadOutcomes.failed(NoSuchKeyException.builder().statusCode(404).build()))
                .isInstanceOf(ObjectHead.Missing.class);
    }

    @Test
    void serviceExceptionUsesStatusAndErrorCode() {
        S3Exception slowDown = (S3Exception) S3Exception.builder().statusCode(503)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("SlowDown").build()).build();

        assertThat(describe(HeadOutcomes.failed(slowDown))).isEqualTo("throttled (HTTP 503 SlowDown)");
    }

    @Test
    void clientSideFailuresAreUnavailable() {
        assertThat(describe(HeadOutcomes.failed(SdkClientException.create(
                "Unable to execute HTTP request: Connection refused\nmore detail"))))
                .isEqualTo("unreachable: Unable to execute HTTP request: Connection refused");
        assertThat(describe(HeadOutcomes.failed(ApiCallTimeoutException.create(300))))
                .startsWith("timed out: ");
        assertThat(describe(HeadOutcomes.failed(ApiCallAttemptTimeoutException.create(300))))
                .startsWith("timed out: ");
        assertThat(describe(HeadOutcomes.failed(AbortedException.create("stop")))).isEqualTo("interrupted");
        assertThat(describe(HeadOutcomes.failed(SdkClientException.create(null)))).isEqualTo("unreachable: no detail");
        assertThat(describe(HeadOutcomes.failed(new IllegalStateException("boom"))))
                .isEqualTo("unexpected error: java.lang.IllegalStateException");
    }

    @Test
    void longReasonsAreCut() {
        ObjectHead head = HeadOutcomes.failed(SdkClientException.create("x".repeat(1000)));

        assertThat(((ObjectHead.Unavailable) head).reason()).hasSize(HeadOutcomes.MAX_REASON_LENGTH).endsWith("…");
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "'\"abc\"'     | abc",
            "abc           | abc",
            "'\"abc-3\"'   | abc-3",
            "'  \"abc\" '  | abc",
            "'\"'          | '\"'",
            "''            | ''",
            "null          | null",
    })
    void etagLosesItsQuotes(String etag, String expected) {
        assertThat(HeadOutcomes.unquote(etag)).isEqualTo(expected);
    }

    @Test
    void foundNeedsSizeAndEtag() {
        Instant modified = Instant.parse("2026-11-01T10:00:00Z");
        HeadObjectResponse full = HeadObjectResponse.builder().contentLength(42L).eTag("\"e1\"")
                .contentType("image/png").lastModified(modified).build();

        assertThat(HeadOutcomes.found(full)).isEqualTo(new ObjectHead.Found(42, "e1", "image/png", modified));
        assertThat(HeadOutcomes.found(full.toBuilder().contentType(null).lastModified(null).build()))
                .isEqualTo(new ObjectHead.Found(42, "e1", null, null));
        assertThat(HeadOutcomes.found(full.toBuilder().contentLength(null).build()))
                .isEqualTo(new ObjectHead.Unavailable("storage answered HEAD without a Content-Length"));
        assertThat(HeadOutcomes.found(full.toBuilder().eTag("\"\"").build()))
                .isEqualTo(new ObjectHead.Unavailable("storage answered HEAD without an ETag"));
    }

    private static String describe(ObjectHead head) {
        if (head instanceof ObjectHead.Unavailable u) {
            return u.reason();
        }
        return head.getClass().getSimpleName();
    }
}
