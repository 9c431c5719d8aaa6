package dev.herald.demo.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.demo.Api;
import dev.herald.demo.ApiTestBase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A store that stops answering: the API says 503 STORE_UNAVAILABLE, health says DOWN. */
@MicronautTest(environments = "outage", transactional = false)
class StoreOutageTest extends ApiTestBase {

    @Inject
    OutageStore store;

    @AfterEach
    void recover() {
        store.down(false);
    }

    @Test
    void apiAnswers503AndHealthIsDownWhileTheStoreIsDown() {
        assertThat(api.get("/v1/endpoints").status()).isEqualTo(200);

        store.down(true);

        for (Api.Response r : java.util.List.of(api.get("/v1/endpoints"), api.get("/v1/deliveries"),
                api.post("/v1/endpoints", "{\"url\":\"https://hooks.example.com/x\"}"))) {
            assertThat(r.status()).as(r.body()).isEqualTo(503);
            assertThat(r.errorCode()).isEqualTo("STORE_UNAVAILABLE");
            assertThat(r.body()).doesNotContain("simulated");
        }
        Api.Response health = api.as(null).get("/health");
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().path("details").path("herald-store").path("status").asText()).isEqualTo("DOWN");

        store.down(false);
        assertThat(api.get("/v1/endpoints").status()).isEqualTo(200);
        assertThat(api.as(null).get("/health").json().path("status").asText()).isEqualTo("UP");
    }
}
