package dev.herald.engine.upload;

import java.util.Objects;

/**
 * Where an upload's events go: an endpoint the tenant registered before, or an ad-hoc webhook given with
 * the upload (stored as an ad-hoc endpoint that receives this upload's events and nothing else).
 */
public sealed interface UploadWebhook {

    /**
     * An endpoint of the tenant, by id.
     *
     * @throws NullPointerException if {@code endpointId} is null
     */
    static UploadWebhook endpoint(String endpointId) {
        return new Registered(endpointId);
    }

    /**
     * An ad-hoc webhook at {@code url} with a generated {@code whsec_} secret, returned once by
     * {@link Uploads#register}.
     *
     * @throws NullPointerException if {@code url} is null
     */
    static UploadWebhook adHoc(String url) {
        return new AdHoc(url, null);
    }

    /**
     * An ad-hoc webhook at {@code url} signed with {@code secret} ({@code whsec_<base64>} or any string of at
     * least 16 characters without whitespace).
     *
     * @throws NullPointerException if {@code url} or {@code secret} is null
     */
    static UploadWebhook adHoc(String url, String secret) {
        return new AdHoc(url, Objects.requireNonNull(secret, "secret"));
    }

    /** An endpoint the tenant registered before. */
    record Registered(String endpointId) implements UploadWebhook {
        public Registered {
            Objects.requireNonNull(endpointId, "endpointId");
        }
    }

    /**
     * A one-off webhook. The URL is checked against the engine's URL policy; {@link #toString()} hides the
     * secret.
     *
     * @param url    absolute http(s) URL
     * @param secret signing secret, or null to have the engine generate one
     */
    record AdHoc(String url, String secret) implements UploadWebhook {
        public AdHoc {
            Objects.requireNonNull(url, "url");
        }

        @Override
        public String toString() {
            return "AdHoc[url=" + url + ", secret=" + (secret == null ? "generated" : "***") + "]";
        }
    }
}
