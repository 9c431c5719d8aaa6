package dev.herald.storage.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.h2.engine.Session;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an H2 file database written at every commit ({@code WRITE_DELAY=0}) near the size of its data,
 * by running MVStore's chunk compaction from a thread of its own.
 *
 * <p>Why: MVStore never overwrites a page; every commit appends a chunk holding the pages it changed.
 * A chunk's space is reused only once none of its pages is live any more, and with many small commits
 * nearly every chunk keeps a few live pages for good (the last version of some leaf), so the file grows
 * by every byte written: about 11 KB per delivery of a 1 KiB event, 40 times the data. H2 fixes that by
 * rewriting the live pages of sparse chunks into new ones, but only from its background writer, which
 * runs only when commits are written late ({@code WRITE_DELAY > 0}). Written at every commit, nothing
 * compacts, until close, which allows itself 200 ms.
 *
 * <p>What: every {@code interval}, when the chunks hold less than {@value #TARGET_FILL_RATE}% live data,
 * {@link MVStore#compact(int, int)} rewrites at most {@value #MAX_REWRITE_BYTES} bytes of live pages
 * from the sparsest chunks older than H2's retention time, and a commit writes them. That is H2's own
 * background compaction, run under H2's store lock like any commit; the emptied chunks are freed only
 * after the retention time (45 s by default, unchanged), as H2 does for every chunk, so that an
 * operating-system crash cannot leave the file pointing into overwritten space. Freed space is reused
 * by later chunks, so under sustained writes the file levels off at about what H2 wrote within the
 * retention time plus the live data, instead of growing by every byte written; it does not shrink. A
 * burst shorter than the retention time is not helped: none of its chunks may be rewritten yet.
 *
 * <p>It reaches the MVStore through H2's engine classes ({@code SessionLocal}, {@code Database},
 * {@code Store}), which are public but not H2's documented API: if a later H2 changes them, this logs
 * one warning and stops, and the store works on as before without it.
 */
final class H2FileCompactor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(H2FileCompactor.class);

    /** How often a compaction pass runs. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** Live data, in percent of the chunks' size, under which a pass rewrites (H2's own uses 45 to 90). */
    static final int TARGET_FILL_RATE = 50;
    /**
     * Live bytes rewritten per pass at most: bounds the time a pass holds H2's store lock, during which
     * commits wait. At 5% live data, 4 MB of live pages empty 80 MB of chunks.
     */
    static final int MAX_REWRITE_BYTES = 4 << 20;

    private final DataSource dataSource;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean failed = new AtomicBoolean();

    private H2FileCompactor(DataSource dataSource, Duration interval) {
        this.dataSource = dataSource;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-h2-compactor");
            t.setDaemon(true);
            return t;
        });
        long millis = interval.toMillis();
        executor.scheduleWithFixedDelay(this::pass, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Starts compacting the H2 file database behind {@code dataSource} every {@code interval}. */
    static H2FileCompactor start(DataSource dataSource, Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        return new H2FileCompactor(dataSource, interval);
    }

    private void pass() {
        if (failed.get()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            MVStore store = mvStore(c);
            if (store != null) {
                compact(store);
            }
        } catch (SQLException e) {
            // The database is closing or unreachable; the next pass tries again.
            LOG.debug("H2 compaction pass skipped: {}", e.getSQLState());
        } catch (RuntimeException | LinkageError e) {
            if (failed.compareAndSet(false, true)) {
                LOG.warn("H2 file compaction stopped, the file will keep growing until closed: {}",
                        e.getClass().getName());
            }
        }
    }

    /**
     * One pass on {@code store}: rewrites live pages of sparse old chunks and commits them when the
     * chunks hold less than {@link #TARGET_FILL_RATE}% live data. Returns whether it rewrote anything.
     */
    static boolean compact(MVStore store) {
        if (store.isClosed() || store.getFileStore() == null
                || store.getFileStore().getChunksFillRate() >= TARGET_FILL_RATE) {
            return false;
        }
        if (store.compact(TARGET_FILL_RATE, MAX_REWRITE_BYTES)) {
            store.commit();
            return true;
        }
        return false;
    }

    /** The MVStore of an embedded H2 connection, or null when there is none (remote, in memory, closed). */
    static MVStore mvStore(Connection c) throws SQLException {
        if (!c.isWrapperFor(JdbcConnection.class)) {
            return null;
        }
        Session session = c.unwrap(JdbcConnection.class).getSession();
        if (!(session instanceof SessionLocal local) || local.getDatabase().getStore() == null) {
            return null;
        }
        MVStore store = local.getDatabase().getStore().getMvStore();
        return store.getFileStore() == null ? null : store;
    }

    /** Stops compacting; waits for a pass under way, without interrupting H2's file I/O. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("H2 compaction pass still running after 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
