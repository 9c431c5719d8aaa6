package dev.herald.storage.jdbc.drill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quick kill -9 drill of {@code mvn verify}: 2,000 events, three SIGKILLs of the node while it
 * publishes and delivers, a restart on the same H2 file after each. The full one is
 * {@code KillNineDrillMain} (see {@code docs/reliability.md}).
 */
class KillNineDrillTest {

    @Test
    void sigkilledNodesLoseNoPublishedEvent(@TempDir Path dir) throws Exception {
        long seed = Long.getLong("drill.seed", 8L);
        KillNineDrill.Result result = new KillNineDrill(new KillNineDrill.Settings(2_000, 3, seed,
                Duration.ofSeconds(90), System.getProperty("java.class.path"), dir)).run();

        assertThat(result.kills()).hasSize(3);
        assertThat(result.published()).isEqualTo(2_000);
        assertThat(result.lost()).as("published events the receiver never saw").isEmpty();
        // The idempotency key keeps an event published again after a kill from being stored twice.
        assertThat(result.seqsStoredTwice()).isZero();
        assertThat(result.duplicates()).as("redeliveries, allowed").isGreaterThanOrEqualTo(0);
    }
}
