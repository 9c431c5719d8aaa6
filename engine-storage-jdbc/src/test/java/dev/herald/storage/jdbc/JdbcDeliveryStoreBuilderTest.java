package dev.herald.storage.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.herald.engine.spi.DeliveryQuery;
import dev.herald.engine.spi.Lease;
import dev.herald.engine.spi.StoreException;
import dev.herald.engine.spi.StoreFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcDeliveryStoreBuilderTest {
    private static final Instant T0 = StoreFixtures.T0;

    @TempDir
    Path dir;

    @Test
    void everySetterRefusesNull() {
        JdbcDeliveryStore.Builder builder = JdbcDeliveryStore.builder();
        assertThatThrownBy(() -> builder.dataSource(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("dataSource");
        assertThatThrownBy(() -> builder.dialect(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("dialect");
    }

    @Test
    void buildingWithoutADataSourceIsRefused() {
        assertThatThrownBy(() -> JdbcDeliveryStore.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("dataSource is required");
    }

    @Test
    void anUnsupportedDatabaseIsNamedInTheError() {
        assertThatThrownBy(() -> JdbcDeliveryStore.builder().dataSource(FaultyDataSource.claimingToBe("MySQL")).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("unsupported database 'MySQL'; JdbcDeliveryStore supports H2 and PostgreSQL");
    }

    @Test
    void aNamedDialectSkipsDetection() {
        JdbcDeliveryStore store = JdbcDeliveryStore.builder().dataSource(FaultyDataSource.claimingToBe("MySQL"))
                .dialect(JdbcDialect.H2).migrate(false).build();
        assertThat(store.dialect()).isEqualTo(JdbcDialect.H2);
    }

    @Test
    void theDialectIsDetectedAndTheSchemaMigrated() {
        try (HikariDataSource pool = EmbeddedH2.pool("builder-detect")) {
            JdbcDeliveryStore store = JdbcDeliveryStore.builder().dataSource(pool).build();
            assertThat(store.dialect()).isEqualTo(JdbcDialect.H2);
            assertThat(store.countByStatus()).hasSize(5).allSatisfy((s, n) -> assertThat(n).isZero());
            store.close();
            assertThat(pool.isClosed()).as("the host's pool stays open by default").isFalse();
        }
    }

    @Test
    void closeDataSourceClosesTheHostsPoolOnce() {
        HikariDataSource pool = EmbeddedH2.pool("builder-close");
        JdbcDeliveryStore store = JdbcDeliveryStore.builder().dataSource(pool).closeDataSource(true).build();
        store.close();
        store.close();
        assertThat(pool.isClosed()).isTrue();
    }

    @Test
    void theBuilderIsReusable() {
        try (HikariDataSource pool = EmbeddedH2.pool("builder-reuse")) {
            JdbcDeliveryStore.Builder builder = JdbcDeliveryStore.builder().dataSource(pool);
            JdbcDeliveryStore first = builder.build();
            JdbcDeliveryStore second = builder.closeDataSource(true).build();
            first.close();
            assertThat(pool.isClosed()).isFalse();
            second.close();
            assertThat(pool.isClosed()).isTrue();
        }
    }

    @Test
    void h2FactoriesCheckTheirArguments() {
        assertThatThrownBy(() -> JdbcDeliveryStore.h2Memory(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("name");
        assertThatThrownBy(() -> JdbcDeliveryStore.h2Memory("no spaces")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JdbcDeliveryStore.h2Memory("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JdbcDeliveryStore.h2File(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("directory");
        assertThatThrownBy(() -> JdbcDeliveryStore.h2File(dir, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("writeDelay");
        assertThatThrownBy(() -> JdbcDeliveryStore.h2File(dir, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 60s]");
        assertThatThrownBy(() -> JdbcDeliveryStore.h2File(dir, Duration.ofSeconds(61)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 60s]");
    }

    @Test
    void anH2FileStoreKeepsItsDataAcrossReopening() {
        StoreFixtures fx = new StoreFixtures();
        var event = fx.event("t");
        var d = fx.delivery(event, "ep_1", T0);
        try (JdbcDeliveryStore store = JdbcDeliveryStore.h2File(dir, Duration.ZERO)) {
            store.publish(event, List.of(d));
        }
        assertThat(Files.exists(dir.resolve("herald.mv.db"))).isTrue();
        try (JdbcDeliveryStore reopened = JdbcDeliveryStore.h2File(dir)) {
            assertThat(reopened.findDelivery("t", d.id())).contains(d);
            assertThat(reopened.findEvent("t", event.id())).contains(event);
        }
    }

    @Test
    void callsCheckTheirArguments() {
        try (JdbcDeliveryStore store = JdbcDeliveryStore.h2Memory("builder-args")) {
            Lease lease = new Lease("w", T0.plusSeconds(60));
            assertThatThrownBy(() -> store.claimDue(lease, T0, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.claimDue(lease, T0, JdbcDeliveryStore.MAX_BATCH + 1))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.claimDue(null, T0, 1)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> store.listEndpoints("t", null, 1001)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.dueUploads(T0, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.purge(T0, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.replay("t", null, null, T0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.claim(List.of("d"), new Lease("w".repeat(Limits.LEASE_OWNER + 1), T0), T0))
                    .isInstanceOf(StoreException.class).hasMessageStartingWith("lease owner is");
            assertThat(store.claim(List.of(), lease, T0)).isEmpty();
            assertThat(store.record(List.of())).isEmpty();
            assertThat(store.listDeliveries(new DeliveryQuery("t", null, null, null, null, 1000)).items()).isEmpty();
        }
    }
}
