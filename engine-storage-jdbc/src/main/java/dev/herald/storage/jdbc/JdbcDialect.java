package dev.herald.storage.jdbc;

/**
 * The databases {@link JdbcDeliveryStore} speaks. Usually detected from the connection's metadata;
 * name one with {@link JdbcDeliveryStore.Builder#dialect(JdbcDialect)} to skip detection.
 */
public enum JdbcDialect {
    /** H2 2.x, in file or in-memory mode; one process per database file. */
    H2,
    /** PostgreSQL 12 or later; several store instances may share one database. */
    POSTGRESQL;

    /** The dialect of a database product name as JDBC reports it, or null when unsupported. */
    static JdbcDialect fromProductName(String productName) {
        if (productName == null) {
            return null;
        }
        String name = productName.trim().toLowerCase(java.util.Locale.ROOT);
        if (name.equals("h2")) {
            return H2;
        }
        if (name.equals("postgresql")) {
            return POSTGRESQL;
        }
        return null;
    }
}
