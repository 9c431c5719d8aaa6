package dev.herald.demo.api;

import dev.herald.demo.auth.ApiKeyFilter;
import dev.herald.demo.error.BadRequestException;
import dev.herald.engine.ErrorCode;
import dev.herald.engine.Herald;
import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.model.Ids;
import dev.herald.engine.spi.DeliveryQuery;
import dev.herald.engine.spi.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.Locale;

/** {@code /v1/deliveries} and {@code /v1/dead-letters}: the delivery log and replay. */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "deliveries")
public class DeliveryController {
    private final Herald herald;

    public DeliveryController(Herald herald) {
        this.herald = herald;
    }

    /** The tenant's deliveries, newest first, optionally of one endpoint, event or status. */
    @Get("/deliveries")
    @Operation(summary = "List deliveries, newest first")
    public PageView<DeliveryView> list(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                                       @QueryValue @Nullable String endpointId, @QueryValue @Nullable String eventId,
                                       @Parameter(description = "SCHEDULED, IN_FLIGHT, SUCCEEDED, FAILED or DEAD")
                                       @QueryValue @Nullable String status,
                                       @QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor) {
        return page(new DeliveryQuery(tenant, Params.filterId("endpointId", endpointId, Ids.ENDPOINT),
                Params.filterId("eventId", eventId, Ids.EVENT), status(status),
                Params.cursor(cursor, Ids.DELIVERY), Params.limit(limit)));
    }

    /** One delivery with its attempts. */
    @Get("/deliveries/{id}")
    @Operation(summary = "Get a delivery with its attempts")
    public DeliveryDetail get(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                              @PathVariable String id) {
        String deliveryId = deliveryId(id);
        Delivery delivery = herald.delivery(tenant, deliveryId);
        return new DeliveryDetail(DeliveryView.of(delivery),
                herald.attempts(tenant, deliveryId).stream().map(AttemptView::of).toList());
    }

    /** Sends a FAILED or DEAD delivery again, keeping its attempts; 409 for any other state. */
    @Post("/deliveries/{id}/replay")
    @Status(HttpStatus.ACCEPTED)
    @Operation(summary = "Replay a FAILED or DEAD delivery")
    public DeliveryView replay(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                               @PathVariable String id) {
        return DeliveryView.of(herald.replay(tenant, deliveryId(id)));
    }

    /** The tenant's dead letters (DEAD deliveries), newest first. */
    @Get("/dead-letters")
    @Operation(summary = "List dead letters, newest first")
    public PageView<DeliveryView> deadLetters(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                                              @QueryValue @Nullable String endpointId,
                                              @QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor) {
        return page(new DeliveryQuery(tenant, Params.filterId("endpointId", endpointId, Ids.ENDPOINT), null,
                DeliveryStatus.DEAD, Params.cursor(cursor, Ids.DELIVERY), Params.limit(limit)));
    }

    private PageView<DeliveryView> page(DeliveryQuery query) {
        Page<Delivery> page = herald.deliveries(query);
        return new PageView<>(page.items().stream().map(DeliveryView::of).toList(), page.nextCursor());
    }

    private static String deliveryId(String id) {
        return Params.pathId(id, Ids.DELIVERY, ErrorCode.DELIVERY_NOT_FOUND, "delivery");
    }

    private static DeliveryStatus status(String status) {
        if (status == null || status.isEmpty()) {
            return null;
        }
        try {
            return DeliveryStatus.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("status must be one of " + Arrays.toString(DeliveryStatus.values()));
        }
    }
}
