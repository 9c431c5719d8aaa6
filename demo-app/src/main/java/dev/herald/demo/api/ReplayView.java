package dev.herald.demo.api;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * What a bulk replay sent again.
 *
 * @param replayed ids of the deliveries set back to SCHEDULED
 */
@Serdeable
@Schema(name = "ReplayResult")
public record ReplayView(List<String> replayed) {
}
