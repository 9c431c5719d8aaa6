package dev.herald.demo.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engine.ErrorCode;
import io.micronaut.http.HttpStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every engine error code has its documented HTTP status. */
class ApiErrorsTest {

    @Test
    void everyErrorCodeMapsToItsStatus() {
        Map<ErrorCode, HttpStatus> expected = Map.ofEntries(
                Map.entry(ErrorCode.INVALID_URL, HttpStatus.BAD_REQUEST),
                Map.entry(ErrorCode.BLOCKED_URL, HttpStatus.BAD_REQUEST),
                Map.entry(ErrorCode.INVALID_EVENT_TYPE, HttpStatus.BAD_REQUEST),
                Map.entry(ErrorCode.INVALID_PAYLOAD, HttpStatus.BAD_REQUEST),
                Map.entry(ErrorCode.PAYLOAD_TOO_LARGE, HttpStatus.REQUEST_ENTITY_TOO_LARGE),
                Map.entry(ErrorCode.INVALID_SECRET, HttpStatus.BAD_REQUEST),
                Map.entry(ErrorCode.INVALID_ARGUMENT, HttpStatus.BAD_REQUEST),
                Map.entry(ErrorCode.ENDPOINT_NOT_FOUND, HttpStatus.NOT_FOUND),
                Map.entry(ErrorCode.EVENT_NOT_FOUND, HttpStatus.NOT_FOUND),
                Map.entry(ErrorCode.DELIVERY_NOT_FOUND, HttpStatus.NOT_FOUND),
                Map.entry(ErrorCode.NOT_REPLAYABLE, HttpStatus.CONFLICT),
                Map.entry(ErrorCode.STORE_UNAVAILABLE, HttpStatus.SERVICE_UNAVAILABLE),
                Map.entry(ErrorCode.INVALID_UPLOAD, HttpStatus.BAD_REQUEST),
                Map.entry(ErrorCode.MISSING_WEBHOOK_TOKEN, HttpStatus.BAD_REQUEST),
                Map.entry(ErrorCode.UPLOAD_NOT_FOUND, HttpStatus.NOT_FOUND),
                Map.entry(ErrorCode.UPLOAD_EXPIRED, HttpStatus.GONE));

        assertThat(expected).hasSize(ErrorCode.values().length);
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ApiErrors.status(code).getCode()).as(code.name()).isEqualTo(expected.get(code).getCode());
        }
    }

    @Test
    void uploadErrorsKeepTheUploadApisNames() {
        assertThat(ApiErrors.wireCode(ErrorCode.UPLOAD_NOT_FOUND)).isEqualTo("WEBHOOK_NOT_FOUND");
        assertThat(ApiErrors.wireCode(ErrorCode.UPLOAD_EXPIRED)).isEqualTo("WEBHOOK_EXPIRED");
        assertThat(ApiErrors.wireCode(ErrorCode.MISSING_WEBHOOK_TOKEN)).isEqualTo("MISSING_WEBHOOK_TOKEN");
        assertThat(ApiErrors.wireCode(ErrorCode.ENDPOINT_NOT_FOUND)).isEqualTo("ENDPOINT_NOT_FOUND");
    }
}
