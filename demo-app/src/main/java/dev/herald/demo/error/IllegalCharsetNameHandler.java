package dev.herald.demo.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.nio.charset.IllegalCharsetNameException;

/** A malformed charset name ({@code charset=@@}, {@code charset=}): answered as {@link UnsupportedCharsetHandler} does. */
@Singleton
@Produces
public class IllegalCharsetNameHandler implements ExceptionHandler<IllegalCharsetNameException, HttpResponse<ErrorBody>> {

    @Override
    @SuppressWarnings("rawtypes") // the interface takes a raw HttpRequest
    public HttpResponse<ErrorBody> handle(HttpRequest request, IllegalCharsetNameException e) {
        return UnsupportedCharsetHandler.unreadableCharset();
    }
}
