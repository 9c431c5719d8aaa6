package dev.herald.engine.spi;

import java.time.Instant;

/** The answer of an {@link ObjectVerifier}: the object is there, is not there, or storage could not tell. */
public sealed interface ObjectHead {

    /** The object exists. {@code contentType} and {@code lastModified} may be null when storage does not say. */
    record Found(long size, String etag, String contentType, Instant lastModified) implements ObjectHead {
    }

    /** Storage answered that no such object exists. */
    record Missing() implements ObjectHead {
    }

    /** Storage could not answer (throttled, 5xx, unreachable); ask again later. Never a verdict on the object. */
    record Unavailable(String reason) implements ObjectHead {
    }
}
