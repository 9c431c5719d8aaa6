package dev.herald.demo.error;

import dev.herald.engine.ErrorCode;
import dev.herald.engine.HeraldException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers an engine refusal with its code and the status {@link ApiErrors#status(ErrorCode)} gives. */
@Singleton
@Produces
public class HeraldExceptionHandler implements ExceptionHandler<HeraldException, HttpResponse<ErrorBody>> {
    private static final Logger log = LoggerFactory.getLogger(HeraldExceptionHandler.class);

    @Override
    @SuppressWarnings("rawtypes") // the interface takes a raw HttpRequest
    public HttpResponse<ErrorBody> handle(HttpRequest request, HeraldException e) {
        if (e.code() == ErrorCode.STORE_UNAVAILABLE) {
            log.warn("{} {}: store unavailable: {}", request.getMethodName(), request.getPath(),
                    e.getCause() != null ? e.getCause().toString() : e.getMessage());
        }
        // Engine messages are written to be shown: they never hold a secret or a URL's query.
        return ApiErrors.response(ApiErrors.status(e.code()), ApiErrors.wireCode(e.code()), e.getMessage());
    }
}
