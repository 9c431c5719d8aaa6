package dev.herald.demo.bench;

import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.spi.DeliveryStore;
import dev.herald.engine.spi.Outcome;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts what the engine asks of a store: deliveries claimed, and outcomes written back with no attempt
 * (deliveries a guard deferred: busy endpoint, open circuit, rate limit). Thread-safe.
 */
final class StoreTraffic {
    /** Counts since the start, read together. */
    record Counts(long claimed, long deferred) {
        Counts minus(Counts before) {
            return new Counts(claimed - before.claimed, deferred - before.deferred);
        }
    }

    private final AtomicLong claimed = new AtomicLong();
    private final AtomicLong deferred = new AtomicLong();

    Counts counts() {
        return new Counts(claimed.get(), deferred.get());
    }

    /** {@code store}, counting into this. */
    DeliveryStore counting(DeliveryStore store) {
        return (DeliveryStore) Proxy.newProxyInstance(DeliveryStore.class.getClassLoader(),
                new Class<?>[]{DeliveryStore.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    switch (method.getName()) {
                        case "claim", "claimDue" -> claimed.addAndGet(((Collection<?>) result).size());
                        case "record" -> {
                            @SuppressWarnings("unchecked")
                            List<Outcome> outcomes = (List<Outcome>) args[0];
                            deferred.addAndGet(outcomes.stream()
                                    .filter(o -> o.status() == DeliveryStatus.SCHEDULED && o.attempt() == null).count());
                        }
                        default -> {
                        }
                    }
                    return result;
                });
    }
}
