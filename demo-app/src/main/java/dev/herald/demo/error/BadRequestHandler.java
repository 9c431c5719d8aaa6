package dev.herald.demo.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Answers a {@link BadRequestException} with 400 {@link ApiErrors#INVALID_REQUEST}. */
@Singleton
@Produces
public class BadRequestHandler implements ExceptionHandler<BadRequestException, HttpResponse<ErrorBody>> {

    @Override
    @SuppressWarnings("rawtypes") // the interface takes a raw HttpRequest
    public HttpResponse<ErrorBody> handle(HttpRequest request, BadRequestException e) {
        return ApiErrors.invalid(e.getMessage());
    }
}
