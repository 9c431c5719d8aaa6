package dev.herald.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.engine.model.Delivery;
import dev.herald.engine.model.Event;
import dev.herald.engine.model.Ids;
import dev.herald.engine.spi.Lease;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The H2 file store, written at every commit, compacts its file: chunks that keep a few live pages are
 * rewritten, so their space can be reused. H2 alone does that only when commits are written late.
 */
class H2FileCompactionTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void sparseChunksAreRewrittenSoTheirSpaceCanBeReused() throws Exception {
        try (JdbcDeliveryStore store = JdbcDeliveryStore.h2File(dir);
             Connection side = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("herald")
                     + ";DB_CLOSE_ON_EXIT=FALSE;IFEXISTS=TRUE", "sa", "")) {
            try (Statement st = side.createStatement()) {
                // Compaction only rewrites chunks older than the retention time; at H2's 45 s this test would
                // wait a minute. What the retention protects against (an operating-system crash) is not tested.
                st.execute("SET RETENTION_TIME 100");
                // One chunk of about 4 MB, then 95% of it deleted: the chunk keeps its last leaves live, and
                // nothing will ever write them again, so without compaction it stays in the file for good.
                st.execute("CREATE TABLE scratch (id INT PRIMARY KEY, v VARCHAR(2000))");
                side.setAutoCommit(false);
                st.execute("INSERT INTO scratch SELECT x, REPEAT(CAST(x AS VARCHAR), 1000 / CHAR_LENGTH(CAST(x AS VARCHAR))) "
                        + "FROM SYSTEM_RANGE(1, 4000)");
                side.commit();
                st.execute("DELETE FROM scratch WHERE id <= 3800");
                side.commit();
                side.setAutoCommit(true);
            }
            assertThat(chunksFillRate(side)).as("live share of the chunks before compaction")
                    .isLessThan(H2FileCompactor.TARGET_FILL_RATE);

            // H2 frees an emptied chunk at the next commit that writes something, as the store's own writes
            // do under load; here a counter stands in for them.
            try (Statement st = side.createStatement()) {
                st.execute("CREATE TABLE tick (n INT)");
                st.execute("INSERT INTO tick VALUES (0)");
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    st.execute("UPDATE tick SET n = n + 1");
                    return chunksFillRate(side) >= H2FileCompactor.TARGET_FILL_RATE;
                });
            }

            try (Statement st = side.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*), MIN(id), SUM(CHAR_LENGTH(v)) FROM scratch")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(200);
                assertThat(rs.getLong(2)).isEqualTo(3801);
                assertThat(rs.getLong(3)).isEqualTo(200 * 1000);
            }
            Ids ids = new Ids(Clock.systemUTC(), new Random(3));
            Event e = new Event(ids.next(Ids.EVENT), "tenant", "upload.completed", NOW, "{}", null, null);
            store.publish(e, List.of(Delivery.scheduled(ids.next(Ids.DELIVERY), e, "ep", NOW, NOW)));
            assertThat(store.claimDue(new Lease("worker", NOW.plusSeconds(60)), NOW, 10)).hasSize(1);
        }
    }

    @Test
    void anInMemoryDatabaseHasNoFileToCompact() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:compaction", "sa", "")) {
            assertThat(H2FileCompactor.mvStore(c)).isNull();
        }
    }

    private static int chunksFillRate(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                     + "WHERE SETTING_NAME = 'info.CHUNKS_FILL_RATE'")) {
            assertThat(rs.next()).isTrue();
            return Integer.parseInt(rs.getString(1));
        }
    }
}
