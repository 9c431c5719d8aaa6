package dev.herald.demo.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * A delivery with its attempts, oldest first.
 *
 * @param delivery the delivery, its fields inlined
 * @param attempts every attempt so far
 */
@Serdeable
@Schema(name = "DeliveryWithAttempts")
public record DeliveryDetail(@JsonUnwrapped DeliveryView delivery, List<AttemptView> attempts) {
}
