package dev.herald.demo.api;

import dev.herald.engine.upload.RegisteredUpload;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.net.URI;
import java.time.Instant;
import java.util.Map;

/**
 * A registered upload: where and how the client sends the file, and the token it confirms with.
 *
 * @param uploadUrl      the presigned URL; a bearer secret until {@code expiresAt}
 * @param method         {@code PUT}
 * @param headers        headers the client must send with exactly these values
 * @param webhookToken   the token for {@code /v1/webhooks/confirm} and {@code /v1/webhooks/status/{token}}
 * @param expiresAt      when the presigned URL stops working
 * @param watchExpiresAt when the server stops watching for the file; confirming later answers 410
 * @param fileUrl        the object's URL once uploaded
 * @param webhookSecret  the generated secret of an ad-hoc webhook given without one; shown only here, else null
 */
@Serdeable
@Schema(name = "SignedUpload")
public record SignedUploadView(URI uploadUrl, String method, Map<String, String> headers, String webhookToken,
                               @Nullable String batchId, String bucket, String key, @Nullable URI fileUrl,
                               Instant expiresAt, Instant watchExpiresAt, String endpointId,
                               @Nullable String webhookSecret) {

    static SignedUploadView of(RegisteredUpload r) {
        return new SignedUploadView(r.uploadUrl(), r.upload().method(), r.headers(), r.token(), r.batchId(),
                r.bucket(), r.key(), r.fileUrl(), r.urlExpiresAt(), r.expiresAt(), r.endpointId(), r.webhookSecret());
    }

    @Override
    public String toString() {
        return "SignedUploadView[webhookToken=" + webhookToken + ", bucket=" + bucket + ", key=" + key
                + ", webhookSecret=" + (webhookSecret == null ? "none" : "***") + "]";
    }
}
