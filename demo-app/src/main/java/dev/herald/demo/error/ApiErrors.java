package dev.herald.demo.error;

import dev.herald.engine.ErrorCode;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

/**
 * Error codes of the HTTP layer, beside the engine's {@link ErrorCode}s, and the mapping of both to HTTP
 * statuses. Stateless.
 */
public final class ApiErrors {
    /** No API key, or one that is not known. */
    public static final String UNAUTHORIZED = "UNAUTHORIZED";
    /** The request cannot be read: malformed JSON, an unknown or missing field, a wrong type, a bad parameter. */
    public static final String INVALID_REQUEST = "INVALID_REQUEST";
    /** No such route. */
    public static final String NOT_FOUND = "NOT_FOUND";
    /** The route exists, but not for this method. */
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    /** The body is not JSON. */
    public static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
    /** The client accepts no type this route produces. */
    public static final String NOT_ACCEPTABLE = "NOT_ACCEPTABLE";
    /** Something unexpected on the server's side; details are in the server log only. */
    public static final String INTERNAL = "INTERNAL";

    private ApiErrors() {
    }

    /** The HTTP status for an engine error code. */
    public static HttpStatus status(ErrorCode code) {
        return switch (code) {
            case INVALID_URL, BLOCKED_URL, INVALID_EVENT_TYPE, INVALID_PAYLOAD, INVALID_SECRET, INVALID_ARGUMENT,
                    INVALID_UPLOAD, MISSING_WEBHOOK_TOKEN -> HttpStatus.BAD_REQUEST;
            case PAYLOAD_TOO_LARGE -> HttpStatus.REQUEST_ENTITY_TOO_LARGE;
            case ENDPOINT_NOT_FOUND, EVENT_NOT_FOUND, DELIVERY_NOT_FOUND, UPLOAD_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case UPLOAD_EXPIRED -> HttpStatus.GONE;
            case NOT_REPLAYABLE -> HttpStatus.CONFLICT;
            case STORE_UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    }

    /**
     * The code clients see: the engine's, except that uploads answer with the names the upload API has
     * always used, since its token is called the webhook token there.
     */
    public static String wireCode(ErrorCode code) {
        return switch (code) {
            case UPLOAD_NOT_FOUND -> "WEBHOOK_NOT_FOUND";
            case UPLOAD_EXPIRED -> "WEBHOOK_EXPIRED";
            default -> code.name();
        };
    }

    /** A JSON error response. */
    public static MutableHttpResponse<ErrorBody> response(HttpStatus status, String code, String message) {
        return HttpResponse.<ErrorBody>status(status).contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(ErrorBody.of(code, message));
    }

    /** A 400 {@link #INVALID_REQUEST} response. */
    public static MutableHttpResponse<ErrorBody> invalid(String message) {
        return response(HttpStatus.BAD_REQUEST, INVALID_REQUEST, message);
    }
}
