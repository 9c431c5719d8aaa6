package dev.herald.demo.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kill -9 drill of the demo server, once per configuration. By default the quick variant of
 * {@code mvn verify}: a couple of thousand events and two SIGKILLs each. The full one takes system
 * properties (see {@code docs/reliability.md}):
 *
 * <pre>
 * mvn -B -pl demo-app -am verify -Dtest=DemoKillNineDrillTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Ddrill.events=100000 -Ddrill.kills=10 [-Ddrill.publishers=4] [-Ddrill.seed=N] [-Ddrill.budget=PT25M] \
 *     [-Ddrill.dir=DIR]
 * </pre>
 */
class DemoKillNineDrillTest {
    private static final int EVENTS = Integer.getInteger("drill.events", 2_000);
    private static final int KILLS = Integer.getInteger("drill.kills", 2);
    private static final int PUBLISHERS = Integer.getInteger("drill.publishers", 4);
    private static final long SEED = Long.getLong("drill.seed", 8L);
    private static final Duration BUDGET = Duration.parse(System.getProperty("drill.budget", "PT2M"));

    @Test
    void sigkilledServerOnAnH2FileLosesNoPublishedEvent(@TempDir Path dir) throws Exception {
        assertNothingLost(drill(DrillStack.H2_FILE, dir));
    }

    @Test
    void sigkilledServerOnPostgresAndRedisLosesNoPublishedEvent(@TempDir Path dir) throws Exception {
        assertNothingLost(drill(DrillStack.POSTGRES_REDIS, dir));
    }

    private static DemoKillNineDrill.Result drill(DrillStack stack, Path tempDir) throws Exception {
        // drill.dir keeps the servers' logs and data for inspection; by default they go with the temp dir.
        String kept = System.getProperty("drill.dir");
        Path dir = kept == null ? tempDir
                : Files.createDirectories(Path.of(kept)).resolve(stack.name().toLowerCase(Locale.ROOT)
                        + "-" + System.currentTimeMillis());
        return new DemoKillNineDrill(new DemoKillNineDrill.Settings(stack, EVENTS, KILLS, PUBLISHERS, SEED, BUDGET,
                dir)).run();
    }

    private static void assertNothingLost(DemoKillNineDrill.Result result) {
        assertThat(result.kills()).hasSize(KILLS);
        assertThat(result.errors()).as("answers no retry fixes").isEmpty();
        assertThat(result.unpublished()).as("events never answered 2xx").isEmpty();
        assertThat(result.published()).isEqualTo(EVENTS);
        assertThat(result.badSignatures()).as("webhooks whose signature did not verify").isZero();
        assertThat(result.lost()).as("events answered 2xx that never reached the receiver").isEmpty();
        assertThat(result.lostDeliveries()).as("delivery ids answered that never reached the receiver").isEmpty();
        // The idempotency key keeps a publish sent again after a kill from storing the event twice.
        assertThat(result.seqsStoredTwice()).isZero();
        assertThat(result.duplicates()).as("redeliveries, allowed").isGreaterThanOrEqualTo(0);
    }
}
