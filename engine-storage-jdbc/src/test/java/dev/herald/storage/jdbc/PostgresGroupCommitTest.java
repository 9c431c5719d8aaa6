package dev.herald.storage.jdbc;

import javax.sql.DataSource;

class PostgresGroupCommitTest extends GroupCommitContract {
    @Override
    protected DataSource newDataSource() {
        return EmbeddedPostgresServer.pool(EmbeddedPostgresServer.newDatabase("group_commit"), 8);
    }
}
