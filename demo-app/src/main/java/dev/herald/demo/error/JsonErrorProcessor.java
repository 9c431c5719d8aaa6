package dev.herald.demo.error;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.micronaut.web.router.exceptions.UnsatisfiedRouteException;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * Shapes every error Micronaut itself answers (no route, wrong method, unreadable JSON, an oversized
 * body, a bad query parameter, an unhandled exception) as an {@link ErrorBody}. Messages are written here
 * from what went wrong, never copied from an exception, so no class name, parser detail or stack trace
 * reaches the caller. Stateless and thread-safe.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class JsonErrorProcessor implements ErrorResponseProcessor<ErrorBody> {

    @Override
    public MutableHttpResponse<ErrorBody> processResponse(ErrorContext context, MutableHttpResponse<?> base) {
        HttpStatus status = base.getStatus();
        ErrorBody body = body(status, context);
        return base.contentType(MediaType.APPLICATION_JSON_TYPE).body(body);
    }

    private static ErrorBody body(HttpStatus status, ErrorContext context) {
        HttpRequest<?> request = context.getRequest();
        Throwable cause = context.getRootCause().orElse(null);
        return switch (status) {
            case BAD_REQUEST -> ErrorBody.of(ApiErrors.INVALID_REQUEST, badRequest(cause));
            case UNAUTHORIZED -> ErrorBody.of(ApiErrors.UNAUTHORIZED, "a valid API key is required");
            case NOT_FOUND -> ErrorBody.of(ApiErrors.NOT_FOUND, "no route for " + request.getMethodName() + " "
                    + shortPath(request));
            case METHOD_NOT_ALLOWED -> ErrorBody.of(ApiErrors.METHOD_NOT_ALLOWED, request.getMethodName()
                    + " is not allowed on " + shortPath(request));
            case UNSUPPORTED_MEDIA_TYPE -> ErrorBody.of(ApiErrors.UNSUPPORTED_MEDIA_TYPE,
                    "the request body must be application/json");
            case NOT_ACCEPTABLE -> ErrorBody.of(ApiErrors.NOT_ACCEPTABLE, "this route answers application/json");
            case REQUEST_ENTITY_TOO_LARGE -> ErrorBody.of("PAYLOAD_TOO_LARGE", "the request body is too large");
            default -> status.getCode() >= 500
                    ? ErrorBody.of(ApiErrors.INTERNAL, "internal error")
                    : ErrorBody.of("HTTP_" + status.getCode(), status.getReason().toLowerCase(Locale.ROOT));
        };
    }

    /** A message saying what in the request could not be read. */
    static String badRequest(Throwable cause) {
        if (cause instanceof ConversionErrorException e) {
            // Bodies are read as JSON trees, so a body that does not convert is not JSON at all.
            return e.getArgument().getName().equals("json") ? "the request body is not valid JSON"
                    : "invalid value for " + e.getArgument().getName();
        }
        if (cause instanceof UnsatisfiedRouteException e) {
            Argument<?> argument = e.getArgument();
            return argument.getName().equals("json") ? "a JSON request body is required"
                    : "missing " + argument.getName();
        }
        String text = cause == null ? "" : String.valueOf(cause.getMessage());
        if (text.contains("Unexpected end-of-input") || text.contains("Unexpected character")
                || text.contains("Unrecognized token") || text.contains("Illegal unquoted character")
                || text.contains("Unexpected close marker") || text.contains("was expecting")) {
            return "the request body is not valid JSON";
        }
        return "the request cannot be read";
    }

    private static String shortPath(HttpRequest<?> request) {
        String path = request.getPath();
        return path.length() > 200 ? path.substring(0, 200) + "..." : path;
    }
}
