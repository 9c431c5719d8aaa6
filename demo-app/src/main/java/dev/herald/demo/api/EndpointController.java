package dev.herald.demo.api;

import dev.herald.demo.auth.ApiKeyFilter;
import dev.herald.demo.error.BadRequestException;
import dev.herald.engine.EndpointRequest;
import dev.herald.engine.ErrorCode;
import dev.herald.engine.Herald;
import dev.herald.engine.model.Endpoint;
import dev.herald.engine.model.Ids;
import dev.herald.engine.spi.Page;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
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
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@code /v1/endpoints}: the tenant's webhook receivers. */
@Controller("/v1/endpoints")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "endpoints")
public class EndpointController {
    /** Grace of a rotation when the request names none: one day. */
    static final long DEFAULT_GRACE_SECONDS = 86_400;

    private final Herald herald;
    private final Clock clock;

    public EndpointController(Herald herald, Clock clock) {
        this.herald = herald;
        this.clock = clock;
    }

    /** Registers an endpoint. The answer is the only one, with rotation's, that shows the signing secret. */
    @Post
    @Operation(summary = "Create an endpoint; the response carries its signing secret, shown only this once")
    public HttpResponse<EndpointWithSecret> create(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                                                   @Body @RequestBody(content = @Content(schema = @Schema(implementation = EndpointBody.class))) String json) {
        Endpoint created = herald.createEndpoint(tenant, request(EndpointBody.from(json), true));
        return HttpResponse.created(EndpointWithSecret.of(created, clock.instant()),
                URI.create("/v1/endpoints/" + created.id()));
    }

    /** The tenant's endpoints, newest first. */
    @Get
    @Operation(summary = "List endpoints, newest first")
    public PageView<EndpointView> list(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                                       @QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor) {
        Page<Endpoint> page = herald.endpoints(tenant, Params.cursor(cursor, Ids.ENDPOINT), Params.limit(limit));
        var now = clock.instant();
        return new PageView<>(page.items().stream().map(e -> EndpointView.of(e, now)).toList(), page.nextCursor());
    }

    /** One endpoint. */
    @Get("/{id}")
    @Operation(summary = "Get an endpoint")
    public EndpointView get(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                            @PathVariable String id) {
        return EndpointView.of(herald.endpoint(tenant, endpointId(id)), clock.instant());
    }

    /** Replaces an endpoint's settings; an absent {@code secret} keeps the current one, an absent {@code enabled} the current state. */
    @Put("/{id}")
    @Operation(summary = "Replace an endpoint's settings")
    public EndpointView update(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                               @PathVariable String id, @Body @RequestBody(content = @Content(schema = @Schema(implementation = EndpointBody.class))) String json) {
        String endpointId = endpointId(id);
        EndpointBody body = EndpointBody.from(json);
        EndpointRequest request = request(body, body.enabled() != null ? body.enabled()
                : herald.endpoint(tenant, endpointId).enabled());
        return EndpointView.of(herald.updateEndpoint(tenant, endpointId, request), clock.instant());
    }

    /** Deletes an endpoint; its delivery log stays and its pending deliveries end FAILED. */
    @Delete("/{id}")
    @Status(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete an endpoint")
    public void delete(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                       @PathVariable String id) {
        herald.deleteEndpoint(tenant, endpointId(id));
    }

    /** Stops new deliveries to the endpoint; pending ones wait. */
    @Post("/{id}/disable")
    @Operation(summary = "Disable an endpoint")
    public EndpointView disable(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                                @PathVariable String id) {
        return EndpointView.of(herald.setEndpointEnabled(tenant, endpointId(id), false), clock.instant());
    }

    /** Lets the endpoint take deliveries again. */
    @Post("/{id}/enable")
    @Operation(summary = "Enable an endpoint")
    public EndpointView enable(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                               @PathVariable String id) {
        return EndpointView.of(herald.setEndpointEnabled(tenant, endpointId(id), true), clock.instant());
    }

    /** Gives the endpoint a new secret; the old one keeps signing for the grace period. The answer shows the new secret, once. */
    @Post("/{id}/rotate-secret")
    @Operation(summary = "Rotate the signing secret; the old one keeps signing during graceSeconds")
    public EndpointWithSecret rotateSecret(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                                           @PathVariable String id, @Body @Nullable @RequestBody(content = @Content(schema = @Schema(implementation = RotateBody.class))) String json) {
        RotateBody body = RotateBody.from(json);
        long grace = body.graceSeconds() == null ? DEFAULT_GRACE_SECONDS : body.graceSeconds();
        Endpoint rotated = herald.rotateSecret(tenant, endpointId(id), Duration.ofSeconds(grace));
        return EndpointWithSecret.of(rotated, clock.instant());
    }

    /** Sends a {@code herald.test} event to this endpoint only. */
    @Post("/{id}/test")
    @Status(HttpStatus.ACCEPTED)
    @Operation(summary = "Send a herald.test event to this endpoint")
    public PublishView test(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                            @PathVariable String id) {
        return PublishView.of(herald.sendTestEvent(tenant, endpointId(id)));
    }

    /** Sends every FAILED or DEAD delivery of the endpoint again. */
    @Post("/{id}/replay")
    @Status(HttpStatus.ACCEPTED)
    @Operation(summary = "Replay every FAILED or DEAD delivery of this endpoint")
    public ReplayView replay(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                             @PathVariable String id) {
        return new ReplayView(herald.replayEndpoint(tenant, endpointId(id)));
    }

    private static String endpointId(String id) {
        return Params.pathId(id, Ids.ENDPOINT, ErrorCode.ENDPOINT_NOT_FOUND, "endpoint");
    }

    private static EndpointRequest request(EndpointBody b, boolean enabled) {
        if (b.url() == null) {
            throw new BadRequestException("url is required");
        }
        List<String> types = b.eventTypes() == null ? List.of() : b.eventTypes();
        if (types.stream().anyMatch(Objects::isNull)) {
            throw new BadRequestException("eventTypes must not contain null");
        }
        Map<String, String> headers = b.headers() == null ? Map.of() : b.headers();
        if (headers.values().stream().anyMatch(Objects::isNull)) {
            throw new BadRequestException("headers must not have null values");
        }
        return new EndpointRequest(b.url(), new HashSet<>(types), b.description(), headers, b.secret(), enabled,
                b.maxInFlight() == null ? 0 : b.maxInFlight(), b.rateLimit() == null ? 0 : b.rateLimit());
    }
}
