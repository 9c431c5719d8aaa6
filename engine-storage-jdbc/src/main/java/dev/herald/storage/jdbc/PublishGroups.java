package dev.herald.storage.jdbc;

import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.Event;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit for publishes: publishes that arrive while another is being written share the next
 * transaction and its commit, without a timer or a thread of its own.
 *
 * <p>The first caller to find no writer at work becomes the writer (the leader): it takes every publish
 * waiting, up to {@link #MAX_EVENTS} events and {@link #MAX_DELIVERIES} deliveries, writes them in one
 * transaction, hands each waiting caller its result and steps down; a caller that arrived meanwhile
 * then leads the next turn with all that queued up behind. Alone, a caller leads at once and writes only
 * its own publish, so nothing waits when nothing else is going on. Every caller returns only after the
 * transaction holding its publish committed.
 *
 * <p>A turn of one publish runs the single-publish path as is. When a shared transaction fails (a key
 * taken under it, a value refused, a lost connection), it is rolled back whole and each of its callers
 * runs its own publish alone on its own thread, so a bad publish fails with the exception it would have
 * met alone and the others are stored. Thread-safe.
 */
final class PublishGroups {
    /** Most events one shared transaction takes. */
    static final int MAX_EVENTS = 256;
    /** Most deliveries one shared transaction takes, unless one event alone has more. */
    static final int MAX_DELIVERIES = JdbcDeliveryStore.MAX_BATCH;

    /** Writes one publish in a transaction of its own, as a publish always did. */
    @FunctionalInterface
    interface Single {
        String publish(Event event, List<Delivery> deliveries);
    }

    /**
     * Writes several publishes in one transaction, all or nothing, and returns the id each one's caller
     * gets back, in order; throws, having stored nothing, when any of them cannot be stored.
     */
    @FunctionalInterface
    interface Shared {
        List<String> publish(List<Request> group) throws SQLException;
    }

    /** One caller's publish, waiting for a turn. */
    static final class Request {
        private final Event event;
        private final List<Delivery> deliveries;
        // Written by the leader before it takes the lock back, read by the caller under the lock.
        private State state = State.WAITING;
        private String id;

        Request(Event event, List<Delivery> deliveries) {
            this.event = event;
            this.deliveries = deliveries;
        }

        Event event() {
            return event;
        }

        List<Delivery> deliveries() {
            return deliveries;
        }
    }

    private enum State { WAITING, STORED, ALONE }

    private final Single single;
    private final Shared shared;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition turnOver = lock.newCondition();
    private final ArrayDeque<Request> waiting = new ArrayDeque<>();
    private boolean leading;
    private final AtomicLong turns = new AtomicLong();
    private final AtomicLong sharedCommits = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();

    PublishGroups(Single single, Shared shared) {
        this.single = single;
        this.shared = shared;
    }

    /** Publishes {@code event} with its deliveries, sharing a transaction with others when they wait too. */
    String publish(Event event, List<Delivery> deliveries) {
        Request mine = new Request(event, deliveries);
        lock.lock();
        try {
            waiting.add(mine);
            while (mine.state == State.WAITING) {
                if (leading) {
                    // Bounded by one transaction; an interrupt stays set for the caller to see.
                    turnOver.awaitUninterruptibly();
                    continue;
                }
                leading = true;
                List<Request> group = take();
                lock.unlock();
                try {
                    lead(group, mine);
                } finally {
                    lock.lock();
                    leading = false;
                    turnOver.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
        if (mine.state == State.STORED) {
            return mine.id;
        }
        fallbacks.incrementAndGet();
        return single.publish(event, deliveries);
    }

    private List<Request> take() {
        List<Request> group = new ArrayList<>();
        int deliveries = 0;
        while (!waiting.isEmpty() && group.size() < MAX_EVENTS) {
            int next = waiting.peek().deliveries.size();
            if (!group.isEmpty() && deliveries + next > MAX_DELIVERIES) {
                break;
            }
            deliveries += next;
            group.add(waiting.poll());
        }
        return group;
    }

    /**
     * Writes one turn's publishes; whatever it could not store goes back to its caller to run alone.
     * Outside the lock, so that the next publishes queue up meanwhile.
     */
    private void lead(List<Request> group, Request mine) {
        turns.incrementAndGet();
        try {
            if (group.size() == 1) {
                Request only = group.get(0);
                if (only == mine) {
                    // The common uncontended case: exactly the single-publish path, its exceptions included.
                    only.id = single.publish(only.event, only.deliveries);
                    only.state = State.STORED;
                }
                return;
            }
            List<String> ids;
            try {
                ids = shared.publish(group);
            } catch (SQLException | RuntimeException e) {
                return; // rolled back; every caller retries alone, and meets its own failure if it has one
            }
            sharedCommits.incrementAndGet();
            for (int i = 0; i < group.size(); i++) {
                group.get(i).id = ids.get(i);
                group.get(i).state = State.STORED;
            }
        } finally {
            for (Request r : group) {
                if (r.state == State.WAITING) {
                    r.state = State.ALONE;
                }
            }
        }
    }

    /** Turns led so far: one transaction each, shared or not. */
    long turns() {
        return turns.get();
    }

    /** Transactions of more than one publish committed so far. */
    long sharedCommits() {
        return sharedCommits.get();
    }

    /** Publishes run alone after their shared transaction failed, or that no shared turn took. */
    long fallbacks() {
        return fallbacks.get();
    }

    /** Publishes waiting for a turn, not counting those being written. */
    int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }
}
