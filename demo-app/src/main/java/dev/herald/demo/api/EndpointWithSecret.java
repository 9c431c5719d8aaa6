package dev.herald.demo.api;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.herald.engine.model.Endpoint;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/**
 * An endpoint with its current signing secret: the answer of creation and of rotation, the only two that
 * ever show a secret. {@link #toString()} does not.
 *
 * @param endpoint the endpoint, its fields inlined
 * @param secret   the secret that signs from now on
 */
@Serdeable
@Schema(name = "EndpointWithSecret")
public record EndpointWithSecret(@JsonUnwrapped EndpointView endpoint, String secret) {

    static EndpointWithSecret of(Endpoint e, Instant now) {
        return new EndpointWithSecret(EndpointView.of(e, now), e.secrets().get(0).value());
    }

    @Override
    public String toString() {
        return "EndpointWithSecret[id=" + endpoint.id() + ", secret=***]";
    }
}
