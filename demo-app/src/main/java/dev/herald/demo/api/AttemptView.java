package dev.herald.demo.api;

import dev.herald.engine.model.Attempt;
import dev.herald.engine.model.ErrorKind;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * One HTTP try of a delivery.
 *
 * @param statusCode   the receiver's HTTP status; null when there was no answer
 * @param durationMs   from sending to the answer or the failure
 * @param responseBody the first 1 KiB of the answer
 * @param errorKind    why it failed; null when it succeeded
 * @param errorMessage a short description of the failure; null when it succeeded
 */
@Serdeable
@Schema(name = "Attempt")
public record AttemptView(String id, int number, Instant startedAt, long durationMs, @Nullable Integer statusCode,
                          String responseBody, @Nullable ErrorKind errorKind, @Nullable String errorMessage) {

    static AttemptView of(Attempt a) {
        return new AttemptView(a.id(), a.number(), a.startedAt(), a.duration().toMillis(),
                a.responseStatus() == 0 ? null : a.responseStatus(), a.responseBody(), a.errorKind(),
                a.errorMessage());
    }
}
