package dev.herald.demo.engine;

import dev.herald.demo.config.HeraldProperties;
import dev.herald.demo.config.HeraldSettings;
import dev.herald.demo.storage.UploadStorage;
import dev.herald.engine.Herald;
import dev.herald.engine.HeraldBuilder;
import dev.herald.engine.HeraldListener;
import dev.herald.engine.http.NettyTransport;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.spi.DeliveryQueue;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.spi.Transport;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the one {@link Herald} of the application from the configured store and queue (each made by the
 * factory its {@code kind} selects), the URL policy and transport beans, the upload storage, the
 * {@code herald.*} settings and every {@link HeraldListener} bean, and starts its workers. The engine is
 * closed when the application stops: it stops claiming, waits up to {@code herald.delivery.shutdown-timeout}
 * for requests in flight and puts the rest back in the store.
 */
@Factory
public class HeraldFactory {
    private static final Logger log = LoggerFactory.getLogger(HeraldFactory.class);

    /**
     * The time source of the engine and its queue: UTC, in whole microseconds, the precision the JDBC store
     * keeps, so an answer made from a fresh record shows the same instants as a later read of it.
     */
    @Singleton
    public Clock clock() {
        return new MicrosClock(Clock.systemUTC());
    }

    /**
     * A clock whose instants are truncated to microseconds. Not {@code Clock.tick(clock, 1 µs)}: on Java 17 its
     * {@code millis()} divides by zero for ticks under a millisecond.
     */
    static final class MicrosClock extends Clock {
        private final Clock base;

        MicrosClock(Clock base) {
            this.base = base;
        }

        @Override
        public ZoneId getZone() {
            return base.getZone();
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return new MicrosClock(base.withZone(zone));
        }

        @Override
        public long millis() {
            return base.millis();
        }

        @Override
        public Instant instant() {
            return base.instant().truncatedTo(ChronoUnit.MICROS);
        }
    }

    /** The guard on endpoint URLs, from {@code herald.url-policy.*}: used at registration and by the transport. */
    @Singleton
    public UrlPolicy urlPolicy(HeraldProperties properties) {
        return HeraldSettings.urlPolicy(properties);
    }

    /**
     * What sends webhook requests: the engine's default {@link NettyTransport}, connecting only to addresses
     * {@code urlPolicy} allowed. Closed after the engine, which stops using it first.
     */
    @Singleton
    @Bean(preDestroy = "close")
    public Transport transport(UrlPolicy urlPolicy) {
        return NettyTransport.builder().urlPolicy(urlPolicy).build();
    }

    /**
     * The engine, started at application start-up.
     *
     * @throws ConfigurationException when a setting is refused or the chosen store or queue is missing
     */
    @Context
    @Bean(preDestroy = "close")
    public Herald herald(HeraldProperties properties, BeanProvider<DeliveryStore> store,
                         BeanProvider<DeliveryQueue> queue, List<HeraldListener> listeners, Clock clock,
                         UploadStorage uploadStorage, UrlPolicy urlPolicy, Transport transport) {
        HeraldSettings.validate(properties);
        if (!store.isPresent()) {
            throw new ConfigurationException("herald.store.kind=" + properties.getStore().getKind()
                    + " is not available in this build (its module is not on the class path); use memory");
        }
        if (!queue.isPresent()) {
            throw new ConfigurationException("herald.queue.kind=" + properties.getQueue().getKind()
                    + " is not available in this build (its module is not on the class path); use in-process");
        }
        HeraldBuilder builder = Herald.builder().store(store.get()).queue(queue.get()).clock(clock);
        HeraldSettings.apply(properties, builder);
        builder.urlPolicy(urlPolicy).transport(transport);
        builder.uploads(uploadStorage.settings().build());
        listeners.forEach(builder::listener);
        Herald herald = builder.build().start();
        log.info("Herald started: store={}, queue={}, uploads={}, {}", properties.getStore().getKind(),
                properties.getQueue().getKind(), uploadStorage, urlPolicy);
        return herald;
    }
}
