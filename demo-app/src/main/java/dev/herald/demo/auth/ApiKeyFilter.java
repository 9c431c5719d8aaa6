package dev.herald.demo.auth;

import dev.herald.demo.error.ApiErrors;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Optional;

/**
 * Guards {@code /v1/**}: a request needs {@code Authorization: Bearer <api key>} with a known key, else it
 * is answered 401 {@code UNAUTHORIZED} before any route runs. The key's tenant is put in the request
 * attribute {@link #TENANT}, where controllers read it; nothing a caller sends can name another tenant.
 */
@ServerFilter("/v1/**")
public class ApiKeyFilter {
    /** The request attribute holding the caller's tenant. */
    public static final String TENANT = "herald.tenant";

    private static final String BEARER = "Bearer ";

    private final ApiKeys apiKeys;

    public ApiKeyFilter(ApiKeys apiKeys) {
        this.apiKeys = apiKeys;
    }

    /** Sets the tenant, or answers 401. */
    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    public @Nullable HttpResponse<?> authenticate(HttpRequest<?> request) {
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        Optional<String> tenant = Optional.empty();
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            tenant = apiKeys.tenantOf(header.substring(BEARER.length()).trim());
        }
        if (tenant.isEmpty()) {
            return ApiErrors.response(HttpStatus.UNAUTHORIZED, ApiErrors.UNAUTHORIZED,
                            header == null ? "missing Authorization: Bearer <api key>" : "unknown API key")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        request.setAttribute(TENANT, tenant.get());
        return null;
    }
}
