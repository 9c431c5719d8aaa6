package dev.herald.demo.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last resort: any exception no more specific handler takes is a bug or an outage. It is logged with
 * its stack trace, and the caller gets 500 {@link ApiErrors#INTERNAL} with nothing else.
 */
@Singleton
@Produces
public class UnexpectedExceptionHandler implements ExceptionHandler<Exception, HttpResponse<ErrorBody>> {
    private static final Logger log = LoggerFactory.getLogger(UnexpectedExceptionHandler.class);

    @Override
    @SuppressWarnings("rawtypes") // the interface takes a raw HttpRequest
    public HttpResponse<ErrorBody> handle(HttpRequest request, Exception e) {
        log.error("Unexpected error on {} {}", request.getMethodName(), request.getPath(), e);
        return ApiErrors.response(HttpStatus.INTERNAL_SERVER_ERROR, ApiErrors.INTERNAL, "internal error");
    }
}
