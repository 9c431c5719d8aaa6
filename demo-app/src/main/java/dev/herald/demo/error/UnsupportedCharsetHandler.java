package dev.herald.demo.error;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import java.nio.charset.UnsupportedCharsetException;

/**
 * A body whose {@code Content-Type} names a charset this JVM does not have ({@code charset=nonsense}) cannot
 * be read: 415 {@link ApiErrors#UNSUPPORTED_MEDIA_TYPE}, not the 500 the exception would otherwise get. The
 * charset's name is not repeated. {@link IllegalCharsetNameHandler} answers malformed names the same way.
 */
@Singleton
@Produces
public class UnsupportedCharsetHandler implements ExceptionHandler<UnsupportedCharsetException, HttpResponse<ErrorBody>> {

    @Override
    @SuppressWarnings("rawtypes") // the interface takes a raw HttpRequest
    public HttpResponse<ErrorBody> handle(HttpRequest request, UnsupportedCharsetException e) {
        return unreadableCharset();
    }

    /** 415: the body's charset cannot be used. The one answer for unknown and malformed charset names. */
    static HttpResponse<ErrorBody> unreadableCharset() {
        return ApiErrors.response(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ApiErrors.UNSUPPORTED_MEDIA_TYPE,
                "the request body's charset is not supported; send UTF-8 JSON");
    }
}
