package dev.herald.demo.error;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;

/** A route that fails the way a bug would, to check what the caller then sees. Test environment only. */
@Requires(env = "test")
@Controller("/v1/test-only")
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
class FailingController {
    static final String DETAIL = "detail only the log may hold: jdbc:h2:mem:secret";

    @Get("/bug")
    String bug() {
        throw new IllegalStateException(DETAIL);
    }

    @Get("/error")
    String error() {
        throw new AssertionError(DETAIL);
    }
}
