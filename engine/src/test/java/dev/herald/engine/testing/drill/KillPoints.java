package dev.herald.engine.testing.drill;

import java.util.Random;
import java.util.stream.LongStream;

/** When the kill drills kill: seeded, so a run can be repeated. */
public final class KillPoints {
    /** Most extra wait after a kill point is reached, so a kill also lands between publishes. */
    public static final int MAX_EXTRA_MILLIS = 200;

    private KillPoints() {
    }

    /**
     * One kill point per kill, ascending: a count of published events drawn from [5 %, 95 %] of
     * {@code events}, so every run publishes some and the last run still has some to publish.
     */
    public static long[] draw(Random random, long events, int kills) {
        if (events < 1 || kills < 0) {
            throw new IllegalArgumentException("events must be at least 1 and kills at least 0, were "
                    + events + " and " + kills);
        }
        return LongStream.generate(() -> Math.round(events * (0.05 + 0.9 * random.nextDouble())))
                .limit(kills).sorted().toArray();
    }

    /** The extra wait after a kill point, in [0, {@value #MAX_EXTRA_MILLIS}] ms. */
    public static int extraMillis(Random random) {
        return random.nextInt(MAX_EXTRA_MILLIS + 1);
    }
}
