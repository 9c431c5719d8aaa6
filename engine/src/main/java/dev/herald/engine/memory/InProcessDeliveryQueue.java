package dev.herald.engine.memory;

import dev.herald.engine.spi.DeliveryQueue;
import dev.herald.engine.spi.QueueEntry;
import dev.herald.engine.spi.QueuedDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link DeliveryQueue} in this JVM's heap, for a single Herald instance: a priority queue ordered by
 * due time under one lock. Entries become pollable once the injected {@link Clock} reaches their due time.
 *
 * <p><b>Bounded.</b> At most {@code capacity} entries are held; {@link #offer} drops the excess and
 * counts it in {@link #dropped()}. Nothing is lost by that: the store is the truth and the engine's sweep
 * of the store picks up due deliveries that the queue did not hand out.
 *
 * <p><b>Time.</b> Whether an entry is due follows the injected clock; how long {@link #poll} waits follows
 * real elapsed time ({@link System#nanoTime()}). A clock owned by a test or a host can move without telling
 * the queue, so a waiting poller re-reads it at least every {@value #CLOCK_RECHECK_MILLIS} ms while an entry
 * is pending, and a poll always ends by its real {@code wait}, even under a fixed clock.
 *
 * <p><b>Semantics.</b> The same id may be offered twice and is then handed out twice (the engine dedups by
 * claiming in the store). {@link #ack} does nothing: an entry handed out is gone, there is nothing to
 * redeliver in-process. Receipts are {@code null}.
 *
 * <p>Thread-safe. {@code offer} and {@code poll} cost O(log n) per entry.
 */
public final class InProcessDeliveryQueue implements DeliveryQueue {

    /** Default {@link Builder#capacity(int) capacity}: 100,000 entries. */
    public static final int DEFAULT_CAPACITY = 100_000;

    /** Longest a waiting poller goes without re-reading the clock while an entry is pending. */
    static final long CLOCK_RECHECK_MILLIS = 100;

    private final int capacity;
    private final Clock clock;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the head may have changed or became due, and on close. */
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Item> heap = new PriorityQueue<>();
    private long sequence;
    private long dropped;
    private boolean closed;

    private InProcessDeliveryQueue(Builder builder) {
        this.capacity = builder.capacity;
        this.clock = builder.clock;
    }

    /** A queue with the defaults: {@value #DEFAULT_CAPACITY} entries, the system UTC clock. */
    public static InProcessDeliveryQueue create() {
        return builder().build();
    }

    /** A builder with the defaults documented on {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Entries beyond the capacity, and every entry offered after {@link #close()}, are dropped; the
     * former are counted in {@link #dropped()}. Never throws for a reachable queue, since there is no other.
     *
     * @throws NullPointerException if {@code deliveries} or one of its elements is null
     */
    @Override
    public void offer(List<QueuedDelivery> deliveries) {
        Objects.requireNonNull(deliveries, "deliveries");
        for (QueuedDelivery delivery : deliveries) {
            Objects.requireNonNull(delivery, "deliveries element");
        }
        if (deliveries.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            if (closed) {
                return;
            }
            Item headBefore = heap.peek();
            for (QueuedDelivery delivery : deliveries) {
                if (heap.size() >= capacity) {
                    dropped++;
                    continue;
                }
                heap.add(new Item(delivery.dueAt(), sequence++, delivery.deliveryId()));
            }
            // A poller only needs waking when the earliest entry changed: it sleeps until the old head.
            if (heap.peek() != headBefore) {
                changed.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Returns the earliest-due entries first. Returns at once, empty, after {@link #close()}.
     *
     * @throws IllegalArgumentException if {@code max} is below 1 or {@code wait} is negative
     * @throws NullPointerException     if {@code wait} is null
     * @throws InterruptedException     if the thread is interrupted while waiting
     */
    @Override
    public List<QueueEntry> poll(int max, Duration wait) throws InterruptedException {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        Objects.requireNonNull(wait, "wait");
        if (wait.isNegative()) {
            throw new IllegalArgumentException("wait must not be negative, was " + wait);
        }
        long remaining = saturatedNanos(wait);
        long deadline = System.nanoTime() + remaining;
        lock.lockInterruptibly();
        try {
            while (!closed) {
                Item head = heap.peek();
                Instant now = clock.instant();
                if (head != null && !head.dueAt.isAfter(now)) {
                    return drainDue(max, now);
                }
                remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return List.of();
                }
                long sleep = remaining;
                if (head != null) {
                    long untilDue = saturatedNanos(Duration.between(now, head.dueAt));
                    sleep = Math.min(sleep, Math.min(untilDue, TimeUnit.MILLISECONDS.toNanos(CLOCK_RECHECK_MILLIS)));
                }
                changed.awaitNanos(sleep);
            }
            return List.of();
        } finally {
            lock.unlock();
        }
    }

    private List<QueueEntry> drainDue(int max, Instant now) {
        List<QueueEntry> out = new ArrayList<>(Math.min(max, heap.size()));
        while (out.size() < max) {
            Item head = heap.peek();
            if (head == null || head.dueAt.isAfter(now)) {
                break;
            }
            heap.poll();
            out.add(new QueueEntry(head.deliveryId, null));
        }
        // Pass the turn on: the signal that woke this poller may have been meant for work it left behind.
        if (!heap.isEmpty()) {
            changed.signal();
        }
        return out;
    }

    /**
     * Does nothing: an entry handed out is gone from this queue.
     *
     * @throws NullPointerException if {@code entries} is null
     */
    @Override
    public void ack(List<QueueEntry> entries) {
        Objects.requireNonNull(entries, "entries");
    }

    /** Entries held, due or not. Thread-safe. */
    @Override
    public long size() {
        lock.lock();
        try {
            return heap.size();
        } finally {
            lock.unlock();
        }
    }

    /** Entries dropped so far because the queue was full. Thread-safe. */
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** The maximum number of entries held. */
    public int capacity() {
        return capacity;
    }

    /** Drops every entry, wakes pollers and makes later polls return empty at once. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            heap.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "InProcessDeliveryQueue[capacity=" + capacity + ", size=" + size() + ", dropped=" + dropped() + "]";
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return Math.max(0, duration.toNanos());
        } catch (ArithmeticException tooLong) {
            return duration.isNegative() ? 0 : Long.MAX_VALUE / 2;
        }
    }

    /** Ordered by due time, then by arrival, so equal due times come out first in, first out. */
    private record Item(Instant dueAt, long seq, String deliveryId) implements Comparable<Item> {
        @Override
        public int compareTo(Item other) {
            int byDue = dueAt.compareTo(other.dueAt);
            return byDue != 0 ? byDue : Long.compare(seq, other.seq);
        }
    }

    /**
     * Configures an {@link InProcessDeliveryQueue}. Defaults: capacity {@value #DEFAULT_CAPACITY}, clock
     * {@link Clock#systemUTC()}. Reusable: each {@link #build()} makes an independent queue. Not thread-safe.
     */
    public static final class Builder {
        private int capacity = DEFAULT_CAPACITY;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Most entries held at once; offers beyond it are dropped and counted.
         *
         * @throws IllegalArgumentException if {@code capacity} is below 1
         */
        public Builder capacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        /**
         * The clock that decides when an entry is due.
         *
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** A new, empty queue with these settings. */
        public InProcessDeliveryQueue build() {
            return new InProcessDeliveryQueue(this);
        }
    }
}
