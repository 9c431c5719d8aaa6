package dev.herald.storage.jdbc.bench;

import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.Event;
import dev.herald.engine.model.Ids;
import dev.herald.engine.spi.DeliveryStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** The publishes the store benchmarks make: events over four tenants, each with its deliveries, all due {@code at}. */
record BenchPublishes(List<Event> events, List<List<Delivery>> fanOut) {

    static BenchPublishes of(Ids ids, int events, int fanout, Instant at, IntFunction<String> data) {
        List<Event> all = new ArrayList<>(events);
        List<List<Delivery>> fanOut = new ArrayList<>(events);
        for (int i = 0; i < events; i++) {
            Event e = new Event(ids.next(Ids.EVENT), "tenant-" + (i % 4), "upload.completed", at, data.apply(i),
                    "wh_" + i, null);
            List<Delivery> ds = new ArrayList<>(fanout);
            for (int f = 0; f < fanout; f++) {
                ds.add(Delivery.scheduled(ids.next(Ids.DELIVERY), e, "ep_" + f, at, at));
            }
            all.add(e);
            fanOut.add(ds);
        }
        return new BenchPublishes(List.copyOf(all), List.copyOf(fanOut));
    }

    /** Publishes event {@code i} with its deliveries. */
    void publish(DeliveryStore store, int i) {
        store.publish(events.get(i), fanOut.get(i));
    }
}
