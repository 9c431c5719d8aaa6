package dev.herald.storage.jdbc;

import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.Event;
import dev.herald.engine.spi.StoreFixtures;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of {@link H2FileStoreAtExitTest}: opens an H2 file store and ends with
 * {@code System.exit(0)}, while a shutdown hook, like a host's orderly stop (the demo server's engine
 * recording outcomes and putting in-flight webhooks back), keeps publishing to the store for a while and
 * only then closes it. The store's connections stay busy, as a running engine keeps them.
 *
 * <p>Argument: the data directory. The hook prints {@code STORED <count> <lastEventId>}, or
 * {@code FAILED <count> <exception>} at the first publish that fails.
 */
public final class H2FileExitNode {
    static final String TENANT = "exit";
    private static final long HOOK_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    private H2FileExitNode() {
    }

    public static void main(String[] args) {
        JdbcDeliveryStore store = JdbcDeliveryStore.h2File(Path.of(args[0]));
        StoreFixtures fx = new StoreFixtures();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Shutdown hooks run concurrently: publishing on for a while spans any other hook (H2's own,
            // before the fix), and with no pause the pool hands out connections without checking them.
            long end = System.nanoTime() + HOOK_NANOS;
            int count = 0;
            String last = null;
            try {
                while (System.nanoTime() < end) {
                    Event event = fx.event(TENANT);
                    Delivery delivery = fx.delivery(event, "ep_1", Instant.now());
                    store.publish(event, List.of(delivery));
                    count++;
                    last = event.id();
                }
                store.close();
                System.out.println("STORED " + count + " " + last);
            } catch (RuntimeException e) {
                System.out.println("FAILED " + count + " " + e);
            }
            System.out.flush();
        }));
        System.exit(0);
    }
}
