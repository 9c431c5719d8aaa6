package dev.herald.engine.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it, for code that takes its time from an injected
 * clock. Always in UTC. Thread-safe: one thread may move it while others read it.
 */
public final class SettableClock extends Clock {

    /** Where a clock made with {@link #SettableClock()} starts: 2026-01-01T00:00:00Z. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;

    /** A clock standing at {@link #DEFAULT_START}. */
    public SettableClock() {
        this(DEFAULT_START);
    }

    /**
     * A clock standing at {@code start}.
     *
     * @throws NullPointerException if {@code start} is null
     */
    public SettableClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
    }

    /**
     * Moves the clock to {@code instant}, backwards too.
     *
     * @throws NullPointerException if {@code instant} is null
     */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    /**
     * Moves the clock by {@code duration} and returns the new time.
     *
     * @throws NullPointerException if {@code duration} is null
     */
    public Instant advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        return now.updateAndGet(current -> current.plus(duration));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /**
     * This clock; it only has UTC.
     *
     * @throws UnsupportedOperationException if {@code zone} is not UTC
     */
    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone.normalized())) {
            throw new UnsupportedOperationException("SettableClock is UTC only, asked for " + zone);
        }
        return this;
    }

    @Override
    public String toString() {
        return "SettableClock[" + now.get() + "]";
    }
}
