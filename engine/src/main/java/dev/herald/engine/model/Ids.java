package dev.herald.engine.model;

import java.time.Clock;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Makes prefixed ids that sort by creation time: {@code evt_}, {@code ep_}, {@code dlv_}, {@code att_},
 * {@code wh_}, {@code batch_}, followed by 26 Crockford base32 characters (48 bits of milliseconds,
 * 80 random bits), like a ULID. Thread-safe when its random source is.
 */
public final class Ids {
    public static final String EVENT = "evt_";
    public static final String ENDPOINT = "ep_";
    public static final String DELIVERY = "dlv_";
    public static final String ATTEMPT = "att_";
    public static final String UPLOAD = "wh_";
    public static final String BATCH = "batch_";

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private final Clock clock;
    private final RandomGenerator random;

    public Ids(Clock clock, RandomGenerator random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A new id with the given prefix. */
    public String next(String prefix) {
        char[] out = new char[26];
        long time = clock.millis();
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        long hi = random.nextLong();
        long lo = random.nextLong();
        for (int i = 10; i < 26; i++) {
            // 16 characters of 5 bits = 80 bits, taken from two 64-bit draws
            long source = i < 22 ? hi : lo;
            int shift = i < 22 ? (i - 10) * 5 : (i - 22) * 5;
            out[i] = ALPHABET[(int) ((source >>> shift) & 31)];
        }
        return prefix + new String(out);
    }

    /** Whether {@code id} has the given prefix and the shape {@link #next} makes. */
    public static boolean isValid(String prefix, String id) {
        if (id == null || !id.startsWith(prefix) || id.length() != prefix.length() + 26) {
            return false;
        }
        for (int i = prefix.length(); i < id.length(); i++) {
            char c = id.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U'))) {
                return false;
            }
        }
        return true;
    }
}
