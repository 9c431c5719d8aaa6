package dev.herald.demo.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the OpenAPI document generated from the controllers at compile time, at {@code /openapi.yml}. */
@Controller
@Hidden
public class OpenApiController {
    /** Where the build puts the document: {@code META-INF/swagger/<title>-<version>.yml}. */
    static final String DOCUMENT = "META-INF/swagger/herald-v1.yml";

    private final byte[] document;

    public OpenApiController() {
        try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the class path; was the build's "
                        + "OpenAPI annotation processor skipped?");
            }
            this.document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The OpenAPI 3 document, YAML. */
    @Get("/openapi.yml")
    @Produces("application/yaml")
    public HttpResponse<byte[]> openApi() {
        return HttpResponse.ok(document);
    }
}
