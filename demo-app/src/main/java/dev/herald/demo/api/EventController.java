package dev.herald.demo.api;

import dev.herald.demo.auth.ApiKeyFilter;
import dev.herald.demo.error.BadRequestException;
import dev.herald.engine.ErrorCode;
import dev.herald.engine.EventRequest;
import dev.herald.engine.Herald;
import dev.herald.engine.HeraldException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Objects;

/** {@code /v1/events}: publishing. */
@Controller("/v1/events")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "events")
public class EventController {
    private final Herald herald;

    public EventController(Herald herald) {
        this.herald = herald;
    }

    /**
     * Stores the event and one delivery per enabled endpoint of the tenant whose filter matches, then
     * answers 202; delivery happens in the background.
     */
    @Post
    @Status(HttpStatus.ACCEPTED)
    @Operation(summary = "Publish an event to the tenant's matching endpoints")
    public PublishView publish(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                               @Body @RequestBody(content = @Content(schema = @Schema(implementation = EventBody.class))) String json,
                               @Header("Idempotency-Key") @Nullable String idempotencyHeader) {
        EventBody body = EventBody.from(json);
        if (body.type() == null) {
            throw new BadRequestException("type is required");
        }
        if (body.data() == null) {
            throw new BadRequestException("data is required (a JSON object)");
        }
        if (!body.data().isObject()) {
            throw new HeraldException(ErrorCode.INVALID_PAYLOAD, "data must be a JSON object");
        }
        String key = body.idempotencyKey();
        if (idempotencyHeader != null) {
            if (key != null && !Objects.equals(key, idempotencyHeader)) {
                throw new BadRequestException("the Idempotency-Key header and idempotencyKey differ");
            }
            key = idempotencyHeader;
        }
        EventRequest request = new EventRequest(tenant, body.type(), body.data().toString(), body.subject(), key, null);
        return PublishView.of(herald.publish(request));
    }

}
