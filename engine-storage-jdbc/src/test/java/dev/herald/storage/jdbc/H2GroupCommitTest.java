package dev.herald.storage.jdbc;

import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

class H2GroupCommitTest extends GroupCommitContract {
    private static final AtomicInteger NAMES = new AtomicInteger();

    @Override
    protected DataSource newDataSource() {
        return EmbeddedH2.pool("group-commit-" + NAMES.incrementAndGet());
    }
}
