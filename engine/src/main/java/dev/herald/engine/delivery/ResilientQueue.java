package dev.herald.engine.delivery;

import dev.herald.engine.spi.DeliveryQueue;
import dev.herald.engine.spi.QueueEntry;
import dev.herald.engine.spi.QueuedDelivery;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's view of the host's queue: never throws. The queue only speeds delivery up, and the store
 * sweep finds whatever it failed to take or hand out, so a failing queue is logged once when it goes
 * down and once when it is back, not on every call. Internal to the engine.
 */
public final class ResilientQueue implements DeliveryQueue {
    private static final Logger log = LoggerFactory.getLogger(ResilientQueue.class);

    private final DeliveryQueue queue;
    private final AtomicBoolean down = new AtomicBoolean();

    public ResilientQueue(DeliveryQueue queue) {
        this.queue = queue;
    }

    @Override
    public void offer(List<QueuedDelivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        try {
            queue.offer(deliveries);
            up();
        } catch (RuntimeException e) {
            failed("offer", e);
        }
    }

    @Override
    public List<QueueEntry> poll(int max, Duration wait) throws InterruptedException {
        try {
            // Not taken as a sign of health: a queue may report its own trouble by answering empty.
            return queue.poll(max, wait);
        } catch (RuntimeException e) {
            failed("poll", e);
            // Wait as a poll would, so a dead queue does not turn the claimer into a busy loop.
            LockSupport.parkNanos(wait.toNanos());
            return List.of();
        }
    }

    @Override
    public void ack(List<QueueEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            queue.ack(entries);
        } catch (RuntimeException e) {
            // An unacknowledged entry comes back and finds its delivery already recorded: harmless.
            failed("ack", e);
        }
    }

    @Override
    public long size() {
        try {
            return queue.size();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** Whether the last call to the queue failed. */
    public boolean isDown() {
        return down.get();
    }

    private void up() {
        if (down.compareAndSet(true, false)) {
            log.info("Queue is back; deliveries flow through it again");
        }
    }

    private void failed(String call, RuntimeException e) {
        if (down.compareAndSet(false, true)) {
            log.warn("Queue {} failed; the store sweep delivers until it is back: {}", call, e.toString());
        } else {
            log.debug("Queue {} failed again: {}", call, e.toString());
        }
    }

    /** Does not close the host's queue: the host owns it. */
    @Override
    public void close() {
    }
}
