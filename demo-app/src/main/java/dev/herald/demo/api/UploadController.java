package dev.herald.demo.api;

import dev.herald.demo.auth.ApiKeyFilter;
import dev.herald.engine.Herald;
import dev.herald.engine.upload.Uploads;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/**
 * {@code /v1/uploads} and {@code /v1/webhooks}: direct-to-storage uploads announced by a webhook. The client
 * gets a presigned URL, uploads straight to storage, then confirms with the webhook token; the server checks
 * the object with a HEAD and sends one signed {@code upload.completed}. Tokens of another tenant are not found.
 */
@Controller("/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "uploads")
public class UploadController {
    private final Herald herald;

    public UploadController(Herald herald) {
        this.herald = herald;
    }

    /**
     * Registers an upload and answers the presigned PUT: {@code webhook} ({@code url}, optional {@code secret}
     * and {@code metadata}) or {@code endpointId} says where {@code upload.completed} goes.
     */
    @Post("/uploads/signed-url")
    @Status(HttpStatus.CREATED)
    @Operation(summary = "Register an upload and get a presigned URL")
    public SignedUploadView signedUrl(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                                      @Body String json) {
        return SignedUploadView.of(uploads().register(tenant, UploadBodies.signedUrl(json)));
    }

    /** Registers up to 100 uploads at once, all or none, announced to one webhook. */
    @Post("/uploads/batch")
    @Status(HttpStatus.CREATED)
    @Operation(summary = "Register a batch of uploads")
    public BatchView batch(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                           @Body String json) {
        UploadBodies.Batch batch = UploadBodies.batch(json);
        return BatchView.of(uploads().registerBatch(tenant, batch.files(), batch.webhook()));
    }

    /**
     * The client says the file is uploaded: the object is checked at once. Confirming again answers 200 with
     * {@code alreadyVerified} and sends nothing new.
     */
    @Post("/webhooks/confirm")
    @Operation(summary = "Confirm an upload with its webhook token")
    public ConfirmView confirm(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                               @Body String json) {
        UploadBodies.Confirm confirm = UploadBodies.confirm(json);
        return ConfirmView.of(uploads().confirm(tenant, confirm.token(), confirm.etag()));
    }

    /** The upload with the deliveries of the event that ended it and their attempts. */
    @Get("/webhooks/status/{token}")
    @Operation(summary = "Get an upload's status and its deliveries")
    public UploadStatusView status(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                                   @PathVariable String token) {
        Uploads uploads = uploads();
        var upload = uploads.status(tenant, token);
        List<DeliveryDetail> deliveries = uploads.deliveries(tenant, token).stream()
                .map(d -> new DeliveryDetail(DeliveryView.of(d),
                        herald.attempts(tenant, d.id()).stream().map(AttemptView::of).toList()))
                .toList();
        return UploadStatusView.of(upload, deliveries);
    }

    /**
     * A bucket notification (for example relayed from S3 event notifications): the object is looked at once
     * and every upload watching it with AUTO_DETECT advances. Unknown objects are ignored.
     */
    @Post("/uploads/notifications")
    @Operation(summary = "Pass on a bucket notification that an object was created")
    public HttpResponse<Void> notification(@Parameter(hidden = true) @RequestAttribute(ApiKeyFilter.TENANT) String tenant,
                                           @Body String json) {
        UploadBodies.Notification n = UploadBodies.notification(json);
        uploads().objectCreated(n.bucket(), n.key(), n.size(), n.etag());
        return HttpResponse.accepted();
    }

    private Uploads uploads() {
        return herald.uploads();
    }
}
