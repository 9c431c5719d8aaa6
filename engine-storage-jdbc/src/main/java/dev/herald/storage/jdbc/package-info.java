/**
 * {@link dev.herald.engine.spi.DeliveryStore} on plain JDBC: {@link dev.herald.storage.jdbc.JdbcDeliveryStore}
 * on H2 (file mode, the embedded default, or in memory) or PostgreSQL (several instances sharing one
 * database). The public types are the store, its builder and the {@link dev.herald.storage.jdbc.JdbcDialect}
 * names; the SQL, the per-database differences and the schema migrations are package-private.
 */
package dev.herald.storage.jdbc;
