package dev.herald.demo;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * The Herald demo server: the engine behind a JSON API under {@code /v1}, with health, metrics and an
 * OpenAPI document. Configuration lives in {@code application.yml}; every setting can be overridden by an
 * environment variable.
 */
@OpenAPIDefinition(
        info = @Info(title = "herald", version = "v1",
                description = "Reliable, signed webhook delivery: endpoints, events, deliveries, replay.",
                license = @License(name = "Apache-2.0")),
        security = @SecurityRequirement(name = "apiKey"))
@SecurityScheme(name = "apiKey", type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API key; it names the tenant every call is scoped to.")
public final class Application {

    private Application() {
    }

    /** Starts the server; it stops on SIGTERM or Ctrl-C, finishing or releasing in-flight deliveries. */
    public static void main(String[] args) {
        Micronaut.build(args).banner(false).mainClass(Application.class).start();
    }
}
