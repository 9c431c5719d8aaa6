package dev.herald.demo.engine;

import dev.herald.demo.config.HeraldProperties;
import dev.herald.engine.Herald;
import io.micronaut.context.event.BeanPreDestroyEvent;
import io.micronaut.context.event.BeanPreDestroyEventListener;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Says in the log that the engine is stopping and how long it may take, before it is closed. */
@Singleton
public class ShutdownLog implements BeanPreDestroyEventListener<Herald> {
    private static final Logger log = LoggerFactory.getLogger(ShutdownLog.class);

    private final HeraldProperties properties;

    public ShutdownLog(HeraldProperties properties) {
        this.properties = properties;
    }

    @Override
    public Herald onPreDestroy(BeanPreDestroyEvent<Herald> event) {
        log.info("Stopping Herald: no new claims; in-flight webhooks get up to {} before they are put back",
                properties.getDelivery().getShutdownTimeout());
        return event.getBean();
    }
}
