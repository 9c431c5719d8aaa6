package dev.herald.storage.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the numbered SQL scripts under {@code dev/herald/storage/jdbc/migrations/} that the database
 * has not seen yet, and notes each in {@code herald_schema_version}. A script is looked up first in the
 * dialect's folder ({@code h2/}, {@code postgresql/}) and then in {@code common/}.
 *
 * <p>A small runner rather than Flyway or Liquibase: the schema is a handful of tables, the store must
 * run inside a host's own {@code DataSource} without pulling a migration framework (and its version)
 * into the host's classpath, and the one hard part, two instances starting at once, takes a few lines:
 * PostgreSQL holds a transaction-scoped advisory lock for the whole run and applies the scripts in that
 * same transaction (its DDL is transactional); H2 commits each DDL statement on its own, so there a lock
 * in the JVM keeps runs apart and every statement is written to be harmless when repeated
 * ({@code IF NOT EXISTS}), which also covers a crash half-way through a script.
 *
 * <p>Scripts are never edited once shipped; a checksum mismatch is logged, not fatal.
 */
final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    /** Every script, in order. Version numbers come from the {@code V<n>__} prefix. */
    static final List<String> SCRIPTS = List.of("V1__init.sql", "V2__delivery_state.sql",
            "V3__deliveries_insert_only.sql", "V4__dead_letters.sql");

    private static final String ROOT = "/dev/herald/storage/jdbc/migrations/";
    private static final String VERSION_TABLE = "CREATE TABLE IF NOT EXISTS herald_schema_version ("
            + "version INTEGER NOT NULL PRIMARY KEY, script VARCHAR(256) NOT NULL, checksum BIGINT NOT NULL)";

    private Migrations() {
    }

    /** Brings the schema up to date; returns how many scripts this call applied. */
    static int run(DataSource dataSource, Dialect dialect) throws SQLException {
        return run(dataSource, dialect, SCRIPTS);
    }

    /** Applies those of {@code scripts} (a prefix of {@link #SCRIPTS}) the database has not seen yet. */
    static int run(DataSource dataSource, Dialect dialect, List<String> scripts) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            String url = c.getMetaData().getURL();
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            dialect.lockSchema(c, url);
            try {
                int applied = applyMissing(c, dialect, scripts);
                c.commit();
                return applied;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailure) {
                    e.addSuppressed(rollbackFailure);
                }
                throw e;
            } finally {
                dialect.unlockSchema(url);
                if (autoCommit) {
                    c.setAutoCommit(true);
                }
            }
        }
    }

    private static int applyMissing(Connection c, Dialect dialect, List<String> scripts) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(VERSION_TABLE);
        }
        Map<Integer, Long> done = new HashMap<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, checksum FROM herald_schema_version")) {
            while (rs.next()) {
                done.put(rs.getInt(1), rs.getLong(2));
            }
        }
        int applied = 0;
        for (String script : scripts) {
            int version = version(script);
            String text = load(dialect.name(), script);
            long checksum = checksum(text);
            Long known = done.get(version);
            if (known != null) {
                if (known != checksum) {
                    LOG.warn("Schema script {} differs from the one applied to this database; shipped scripts "
                            + "must not change", script);
                }
                continue;
            }
            try (Statement st = c.createStatement()) {
                for (String sql : statements(text)) {
                    st.execute(sql);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO herald_schema_version (version, script, checksum) VALUES (?, ?, ?)")) {
                ps.setInt(1, version);
                ps.setString(2, script);
                ps.setLong(3, checksum);
                ps.executeUpdate();
            }
            applied++;
            LOG.info("Applied schema script {} ({})", script, dialect.name());
        }
        return applied;
    }

    static int version(String script) {
        int end = script.indexOf("__");
        if (!script.startsWith("V") || end < 2) {
            throw new IllegalStateException("script name must look like V<n>__<what>.sql: " + script);
        }
        return Integer.parseInt(script.substring(1, end));
    }

    static String load(JdbcDialect dialect, String script) {
        String own = ROOT + dialect.name().toLowerCase(java.util.Locale.ROOT) + "/" + script;
        InputStream in = Migrations.class.getResourceAsStream(own);
        if (in == null) {
            in = Migrations.class.getResourceAsStream(ROOT + "common/" + script);
        }
        if (in == null) {
            throw new IllegalStateException("schema script missing from the classpath: " + script);
        }
        try (InputStream stream = in) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not read schema script " + script, e);
        }
    }

    /** The statements of a script: comment lines dropped, split at semicolons. */
    static List<String> statements(String text) {
        StringBuilder kept = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.trim().startsWith("--")) {
                kept.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String part : kept.toString().split(";")) {
            String sql = part.trim();
            if (!sql.isEmpty()) {
                out.add(sql);
            }
        }
        return out;
    }

    private static long checksum(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
