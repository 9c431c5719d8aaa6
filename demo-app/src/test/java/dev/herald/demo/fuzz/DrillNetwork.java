package dev.herald.demo.fuzz;

import dev.herald.engine.http.NettyTransport;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.spi.Transport;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The network the fuzz drill's application sees (environment {@code fuzz-drill}): the stub resolver, the
 * one receiver, a strict URL policy that allows that receiver's name and port and nothing else private,
 * and the application's {@code NettyTransport} on the recording, guarded event loop.
 */
@Factory
@Requires(env = "fuzz-drill")
class DrillNetwork {

    @Singleton
    @Bean(preDestroy = "close")
    DrillReceiver receiver() {
        return new DrillReceiver();
    }

    @Singleton
    StubResolver resolver() {
        return new StubResolver();
    }

    @Singleton
    @Bean(preDestroy = "close")
    ConnectRecorder recorder(DrillReceiver receiver) {
        return new ConnectRecorder(receiver.address());
    }

    /** Strict, with http allowed (the receiver has no TLS) and exactly one exempt destination. */
    @Singleton
    @Replaces(UrlPolicy.class)
    UrlPolicy urlPolicy(StubResolver resolver, DrillReceiver receiver) {
        return UrlPolicy.builder().allowHttp(true).allowDestination(StubResolver.RECEIVER, receiver.port())
                .resolver(resolver).build();
    }

    @Singleton
    @Replaces(Transport.class)
    @Bean(preDestroy = "close")
    Transport transport(UrlPolicy urlPolicy, ConnectRecorder recorder) {
        return NettyTransport.builder().urlPolicy(urlPolicy).eventLoopGroup(recorder.group())
                .connectTimeout(Duration.ofSeconds(2)).build();
    }
}
