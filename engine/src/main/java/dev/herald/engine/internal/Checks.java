package dev.herald.engine.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks shared by the engine's builders, so every range error reads the same way. Public only
 * because the builders live in several packages; not part of Herald's API.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * Returns {@code value} if it lies within {@code [min, max]}.
     *
     * @throws IllegalArgumentException naming {@code name}, the range and the value otherwise
     */
    public static int inRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be within [" + min + ", " + max + "], was " + value);
        }
        return value;
    }

    /**
     * Returns {@code value} if it lies within {@code [min, max]}.
     *
     * @throws NullPointerException     naming {@code name} if {@code value} is null
     * @throws IllegalArgumentException naming {@code name}, the range and the value otherwise
     */
    public static Duration inRange(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be within [" + min + ", " + max + "], was " + value);
        }
        return value;
    }
}
