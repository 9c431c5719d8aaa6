package dev.herald.engine.spi;

import java.time.Duration;
import java.util.List;

/**
 * Hands due delivery ids to workers. The queue is an accelerator, not the truth: it may lose entries
 * (a flush, a crash, a full buffer) or hand one out twice, and the engine stays correct because it
 * claims every id in the store and sweeps the store for due work the queue did not hand out.
 * Entries carry ids only, never payloads.
 *
 * <p>Implementations are thread-safe. The contract is {@code DeliveryQueueContract} in the engine's test-jar.
 */
public interface DeliveryQueue extends AutoCloseable {

    /**
     * Offers ids to be handed out at their due time (now or later). May drop entries when full;
     * throws only when the queue is unreachable, and the caller carries on then.
     */
    void offer(List<QueuedDelivery> deliveries);

    /**
     * Takes up to {@code max} due entries, waiting up to {@code wait} for the first one.
     * Returns an empty list when none became due in time or the queue was closed.
     */
    List<QueueEntry> poll(int max, Duration wait) throws InterruptedException;

    /** Acknowledges entries taken by {@link #poll}, once their outcome is in the store. */
    void ack(List<QueueEntry> entries);

    /** Ids waiting (due or not), for metrics; -1 when the queue cannot tell cheaply. */
    default long size() {
        return -1;
    }

    /** Stops handing out entries and wakes pollers. Idempotent. */
    @Override
    default void close() {
    }
}
