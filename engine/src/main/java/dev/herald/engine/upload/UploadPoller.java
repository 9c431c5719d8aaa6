package dev.herald.engine.upload;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.failsafe.RateLimiter;
import dev.herald.engine.model.Upload;
import dev.herald.engine.spi.DeliveryStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at due uploads: auto-detected ones on their schedule, confirmed ones whose HEAD met a storage error,
 * and every unfinished one when its watch runs out.
 *
 * <h2>Design note</h2>
 * <ul>
 * <li><b>The store says what is due.</b> Each upload carries {@code nextCheckAt}; a tick takes up to
 * {@code pollBatchSize} uploads due at the engine clock's now, earliest first. Nothing lives only in memory,
 * so a restart loses no schedule, and several instances may poll one store: their writes are conditional on
 * the upload's version, so a doubled HEAD costs a HEAD, never a second event.</li>
 * <li><b>Rate-limited per bucket.</b> A Failsafe smooth rate limiter per bucket (kept in a Caffeine cache)
 * caps the HEADs; an upload over the limit is skipped this tick, stays due and is taken again at the next
 * one. So 10,000 pending uploads cost {@code maxHeadsPerSecond} HEADs a second per bucket, not a burst.</li>
 * <li><b>Bounded.</b> HEADs run on {@code headThreads} threads; a tick waits for its HEADs before the next
 * tick, so at most one batch is in flight. After a full batch the next tick starts at once, otherwise after
 * {@code pollInterval}.</li>
 * <li><b>Errors.</b> A store or verifier failure is logged and the tick moves on; the uploads stay due.</li>
 * </ul>
 */
final class UploadPoller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UploadPoller.class);
    private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
    private static final Duration TICK_DEADLINE = Duration.ofMinutes(2);

    private final DefaultUploads uploads;
    private final DeliveryStore store;
    private final Clock clock;
    private final UploadSettings settings;
    private final LoadingCache<String, RateLimiter<Object>> limiters;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private Thread thread;
    private ExecutorService heads;

    UploadPoller(DefaultUploads uploads, UploadHost host, UploadSettings settings) {
        this.uploads = uploads;
        this.store = host.store();
        this.clock = host.clock();
        this.settings = settings;
        int perSecond = settings.maxHeadsPerSecond();
        this.limiters = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10))
                .build(bucket -> RateLimiter.smoothBuilder(perSecond, Duration.ofSeconds(1)).build());
    }

    synchronized void start(String name) {
        if (running) {
            return;
        }
        running = true;
        AtomicInteger n = new AtomicInteger();
        heads = Executors.newFixedThreadPool(settings.headThreads(), r -> {
            Thread t = new Thread(r, name + "-head-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            boolean full;
            try {
                full = tick();
            } catch (RuntimeException e) {
                log.warn("Upload poller tick failed; trying again in {}: {}", ERROR_PAUSE, e.toString());
                park(ERROR_PAUSE);
                continue;
            }
            if (!full) {
                park(settings.pollInterval());
            }
        }
    }

    /** One round: HEAD what is due and allowed. Returns whether the batch was full (more may be due). */
    boolean tick() {
        List<Upload> due = store.dueUploads(clock.instant(), settings.pollBatchSize());
        List<CompletableFuture<Void>> started = new ArrayList<>(due.size());
        int limited = 0;
        for (Upload u : due) {
            if (!running) {
                break;
            }
            if (!inFlight.add(u.id())) {
                continue; // still being checked from an earlier tick that ran out of patience
            }
            if (Decisions.needsHead(u) && clock.instant().isBefore(u.expiresAt())
                    && !limiters.get(u.bucket()).tryAcquirePermit()) {
                inFlight.remove(u.id());
                limited++;
                continue;
            }
            started.add(CompletableFuture.runAsync(() -> {
                try {
                    uploads.check(u);
                } catch (RuntimeException e) {
                    log.warn("Checking upload {} failed; it stays due: {}", u.id(), e.toString());
                } finally {
                    inFlight.remove(u.id());
                }
            }, heads));
        }
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                    .get(TICK_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            log.warn("Upload checks did not finish within {}", TICK_DEADLINE);
        }
        if (limited > 0) {
            log.debug("{} due uploads wait for their bucket's HEAD rate limit", limited);
        }
        // Only a batch that was actually worked through says "more may be due": looping at once on uploads
        // the rate limiter refused would spin.
        return due.size() == settings.pollBatchSize() && limited == 0;
    }

    private void park(Duration d) {
        LockSupport.parkNanos(this, d.toNanos());
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heads.shutdownNow();
    }
}
