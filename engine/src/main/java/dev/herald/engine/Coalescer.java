package dev.herald.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets at most one event of a coalescing type through per (tenant, type, subject) and interval; later
 * ones wait in memory, each replacing the one before, and the last goes out when the interval ends.
 * Thread-safe. A window is forgotten once its interval passed with nothing held, so memory follows the
 * number of subjects active in the last interval.
 */
final class Coalescer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Coalescer.class);

    private record Key(String tenant, String type, String subject) {
    }

    /** One subject's window: when the last event went out, and the newest held one. */
    private static final class Window {
        Instant lastSent;
        EventRequest held;
        String heldId;
        boolean flushScheduled;
    }

    private final Map<String, Duration> intervals;
    private final Clock clock;
    private final BiFunction<EventRequest, String, PublishResult> publisher;
    private final Map<Key, Window> windows = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService timer;

    Coalescer(Map<String, Duration> intervals, Clock clock, BiFunction<EventRequest, String, PublishResult> publisher) {
        this.intervals = Map.copyOf(intervals);
        this.clock = clock;
        this.publisher = publisher;
    }

    boolean coalesces(EventRequest request) {
        return request.subject() != null && intervals.containsKey(request.type());
    }

    /**
     * Publishes now if the window is open; otherwise holds the request and answers with the id the event
     * will get, and no deliveries yet. A held event replaced by a newer one is never stored.
     */
    PublishResult submit(EventRequest request, String eventId) {
        Key key = new Key(request.tenant(), request.type(), request.subject());
        Duration interval = intervals.get(request.type());
        Instant now = clock.instant();
        Window window = windows.computeIfAbsent(key, k -> new Window());
        Duration flushIn;
        synchronized (window) {
            if (window.held == null && (window.lastSent == null || !now.isBefore(window.lastSent.plus(interval)))) {
                window.lastSent = now;
                return publisher.apply(request, eventId);
            }
            window.held = request;
            window.heldId = eventId;
            if (window.flushScheduled) {
                return new PublishResult(eventId, List.of(), false);
            }
            window.flushScheduled = true;
            flushIn = Duration.between(now, window.lastSent.plus(interval));
        }
        timer().schedule(() -> flush(key, window), Math.max(0, flushIn.toMillis()), TimeUnit.MILLISECONDS);
        return new PublishResult(eventId, List.of(), false);
    }

    private void flush(Key key, Window window) {
        EventRequest request;
        String eventId;
        synchronized (window) {
            request = window.held;
            eventId = window.heldId;
            window.held = null;
            window.flushScheduled = false;
            window.lastSent = clock.instant();
        }
        if (request == null) {
            return;
        }
        try {
            publisher.apply(request, eventId);
        } catch (RuntimeException e) {
            log.warn("Publishing a coalesced {} event failed: {}", key.type(), e.toString());
        }
        Duration interval = intervals.get(key.type());
        timer().schedule(() -> forgetIfIdle(key, window), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void forgetIfIdle(Key key, Window window) {
        synchronized (window) {
            if (window.held == null && !window.flushScheduled) {
                windows.remove(key, window);
            }
        }
    }

    private ScheduledExecutorService timer() {
        ScheduledExecutorService t = timer;
        if (t == null) {
            synchronized (this) {
                if (timer == null) {
                    timer = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread thread = new Thread(r, "herald-coalescer");
                        thread.setDaemon(true);
                        return thread;
                    });
                }
                t = timer;
            }
        }
        return t;
    }

    /** Publishes what is held, then stops the timer. */
    @Override
    public void close() {
        for (Map.Entry<Key, Window> e : windows.entrySet()) {
            flush(e.getKey(), e.getValue());
        }
        ScheduledExecutorService t = timer;
        if (t != null) {
            t.shutdownNow();
        }
    }
}
