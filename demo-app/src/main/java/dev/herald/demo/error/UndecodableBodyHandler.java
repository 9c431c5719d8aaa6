package dev.herald.demo.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.netty.handler.codec.compression.DecompressionException;
import jakarta.inject.Singleton;

/**
 * A body that is not what its {@code Content-Encoding} says ({@code gzip} on plain text) cannot be read:
 * 400 {@link ApiErrors#INVALID_REQUEST}, not the 500 the decoder's exception would otherwise get.
 */
@Singleton
@Produces
public class UndecodableBodyHandler implements ExceptionHandler<DecompressionException, HttpResponse<ErrorBody>> {

    @Override
    @SuppressWarnings("rawtypes") // the interface takes a raw HttpRequest
    public HttpResponse<ErrorBody> handle(HttpRequest request, DecompressionException e) {
        return ApiErrors.invalid("the request body does not match its Content-Encoding");
    }
}
