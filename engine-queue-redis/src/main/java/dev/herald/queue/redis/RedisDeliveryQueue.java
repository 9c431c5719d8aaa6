package dev.herald.queue.redis;

import dev.herald.engine.spi.DeliveryQueue;
import dev.herald.engine.spi.QueueEntry;
import dev.herald.engine.spi.QueuedDelivery;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamConsumerInfo;
import redis.clients.jedis.resps.StreamEntry;

/**
 * A {@link DeliveryQueue} on Redis Streams, shared by every Herald instance pointed at the same Redis and
 * key prefix. Needs Redis 6.2 or later. Built with {@link #builder()}.
 *
 * <h2>Design</h2>
 * <ul>
 *   <li><b>Due work</b> is an entry in the stream {@code {prefix}:ready}, holding only the delivery id.
 *       All instances read it through one consumer group, each as its own consumer, so an entry goes to
 *       one instance ({@code XREADGROUP COUNT max BLOCK t}). {@link #ack} removes it ({@code XACK} and
 *       {@code XDEL}), so the stream holds only what is waiting or in flight. {@code MAXLEN ~} bounds it.</li>
 *   <li><b>Delayed work</b> (retries) waits in the sorted set {@code {prefix}:delayed}, scored by due
 *       time. Before reading, a poller runs a Lua script that moves a bounded batch of due entries to the
 *       stream atomically. Due time comes from the injected {@link Clock}, so instances need synchronised
 *       clocks, as they do for the store's leases anyway.</li>
 *   <li><b>Crash recovery.</b> An entry handed out but not acknowledged within the claim idle time (its
 *       consumer died, or this process restarted) is taken over with {@code XAUTOCLAIM} by whichever
 *       instance sweeps next; each instance sweeps at most every quarter of the claim idle time (capped at
 *       10 s). Consumers gone for twenty claim idle times with nothing pending are removed from the group.
 *       What Redis itself loses (flushed, restarted without persistence) the engine finds again by sweeping
 *       the store, which stays the truth; a missing consumer group is recreated on the next poll.</li>
 *   <li><b>Bad entries</b>, without a delivery id, are logged and acknowledged, never handed out or
 *       retried. Entries trimmed away while pending are acknowledged when met.</li>
 *   <li><b>Throughput.</b> Offers are pipelined ({@code XADD}/{@code ZADD}), acknowledgements batched;
 *       a poll costs one read for up to {@code max} entries, plus the promotion script when a delayed
 *       entry this instance knows of fell due or 10 ms passed since the last run.</li>
 *   <li><b>Faults.</b> With Redis unreachable, {@link #offer} throws {@link RedisQueueException}, polls log
 *       once and return empty after their wait, acknowledgements are logged and dropped (the entries come
 *       back after the claim idle time, and the store turns duplicates away). The connection pool
 *       reconnects by itself; one stale pooled connection per call is retried at once.</li>
 * </ul>
 *
 * <p>Thread-safe: any number of threads may offer, poll and acknowledge at once.
 */
public final class RedisDeliveryQueue implements DeliveryQueue {

    /** Default {@link Builder#keyPrefix(String) key prefix}: {@value}. */
    public static final String DEFAULT_KEY_PREFIX = "herald";
    /** Default {@link Builder#group(String) consumer group}: {@value}. */
    public static final String DEFAULT_GROUP = "herald-workers";
    /** Default {@link Builder#blockTime(Duration) block time}: 500 ms. */
    public static final Duration DEFAULT_BLOCK_TIME = Duration.ofMillis(500);
    /** Default {@link Builder#claimIdle(Duration) claim idle time}: 1 minute. */
    public static final Duration DEFAULT_CLAIM_IDLE = Duration.ofMinutes(1);
    /** Default {@link Builder#streamMaxLength(long) stream max length}: {@value}. */
    public static final long DEFAULT_STREAM_MAX_LENGTH = 1_000_000;
    /** Default {@link Builder#poolSize(int) pool size}: {@value}. */
    public static final int DEFAULT_POOL_SIZE = 16;
    /** Default {@link Builder#connectTimeout(Duration) connect timeout}: 2 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Default {@link Builder#socketTimeout(Duration) socket timeout}: 2 s. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(2);
    /** Default {@link Builder#poolMaxWait(Duration) pool max wait}: 2 s. */
    public static final Duration DEFAULT_POOL_MAX_WAIT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(RedisDeliveryQueue.class);

    /** Commands sent per pipeline round trip. */
    private static final int PIPELINE_CHUNK = 1_000;
    private static final long MAX_CLAIM_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long MIN_CLAIM_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Longest a busy instance goes without looking for delayed entries other instances made due. */
    private static final long PROMOTE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Pause between attempts of a poll while Redis is unreachable. */
    private static final long MIN_FAILURE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final UnifiedJedis redis;
    private final boolean ownsClient;
    private final RedisKeys keys;
    private final String keyPrefix;
    private final String group;
    private final String consumer;
    private final long blockMillis;
    private final long claimIdleMillis;
    private final long streamMaxLength;
    private final long claimIntervalNanos;
    private final long pruneIntervalNanos;
    private final Clock clock;
    private final XAddParams xaddParams;

    private final CountDownLatch closedSignal = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set when Redis failed, so the outage is logged once at WARN and its end once at INFO. */
    private final AtomicBoolean failing = new AtomicBoolean();
    /** Set when Redis said the group is missing (first use, FLUSHALL, restart without persistence). */
    private volatile boolean groupMissing;

    private final AtomicLong nextPromoteAt = new AtomicLong(System.nanoTime());
    /** Due time (epoch ms) of the earliest delayed entry as last seen, or -1; a hint, not the truth. */
    private volatile long knownNextDue = -1;

    /** Only one thread of this instance sweeps for stale entries at a time; it holds this flag. */
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final AtomicLong nextSweepAt = new AtomicLong(System.nanoTime());
    private final AtomicLong nextPruneAt;
    /** Where the current XAUTOCLAIM scan goes on; written only by the thread holding {@link #sweeping}. */
    private volatile StreamEntryID sweepCursor = new StreamEntryID();

    private RedisDeliveryQueue(Builder builder, UnifiedJedis redis, boolean ownsClient, String consumer) {
        this.redis = redis;
        this.ownsClient = ownsClient;
        this.keyPrefix = builder.keyPrefix;
        this.keys = RedisKeys.forPrefix(builder.keyPrefix);
        this.group = builder.group;
        this.consumer = consumer;
        this.blockMillis = builder.blockTime.toMillis();
        this.claimIdleMillis = builder.claimIdle.toMillis();
        this.streamMaxLength = builder.streamMaxLength;
        this.clock = builder.clock;
        long claimIdleNanos = builder.claimIdle.toNanos();
        this.claimIntervalNanos = Math.max(MIN_CLAIM_INTERVAL_NANOS, Math.min(MAX_CLAIM_INTERVAL_NANOS, claimIdleNanos / 4));
        this.pruneIntervalNanos = claimIdleNanos * 20;
        this.nextPruneAt = new AtomicLong(System.nanoTime() + pruneIntervalNanos);
        this.xaddParams = XAddParams.xAddParams().maxLen(streamMaxLength).approximateTrimming();
    }

    /** A builder with the defaults documented on {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** This instance's consumer name in the group. */
    public String consumer() {
        return consumer;
    }

    // ---- offer ---------------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>Entries due now go to the stream, later ones to the delayed set (an id offered for later while it
     * waits there already takes the new due time; within one call, the earliest). Pipelined, {@value #PIPELINE_CHUNK} commands per round trip.
     * Does nothing after {@link #close()}.
     *
     * @throws RedisQueueException  if Redis is unreachable or refused the commands; some entries may have
     *                              been stored, which is harmless since duplicates are allowed
     * @throws NullPointerException if {@code deliveries} or one of its elements is null
     */
    @Override
    public void offer(List<QueuedDelivery> deliveries) {
        Objects.requireNonNull(deliveries, "deliveries");
        List<String> due = new ArrayList<>();
        Map<String, Double> delayed = new LinkedHashMap<>();
        Instant now = clock.instant();
        for (QueuedDelivery delivery : deliveries) {
            Objects.requireNonNull(delivery, "deliveries element");
            if (!delivery.dueAt().isAfter(now)) {
                due.add(delivery.deliveryId());
            } else {
                delayed.merge(delivery.deliveryId(), (double) ceilMillis(delivery.dueAt()), Math::min);
            }
        }
        if ((due.isEmpty() && delayed.isEmpty()) || closed.get()) {
            return;
        }
        try {
            try {
                send(due, delayed);
            } catch (JedisConnectionException stale) {
                // Most often a pooled connection left over from before a Redis restart; it is gone now.
                send(due, delayed);
            }
            if (!delayed.isEmpty()) {
                long earliest = (long) (double) delayed.values().stream().min(Double::compare).orElseThrow();
                long known = knownNextDue;
                knownNextDue = known < 0 ? earliest : Math.min(known, earliest);
            }
            recovered();
        } catch (JedisException e) {
            failed("offer", e);
            throw new RedisQueueException("Redis queue '" + keyPrefix + "' could not take " + deliveries.size()
                    + " entries: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private void send(List<String> due, Map<String, Double> delayed) {
        List<Response<?>> replies = new ArrayList<>(due.size() + delayed.size() / PIPELINE_CHUNK + 1);
        try (AbstractPipeline pipeline = redis.pipelined()) {
            int pending = 0;
            for (String id : due) {
                replies.add(pipeline.xadd(keys.stream(), xaddParams, Map.of(RedisKeys.FIELD, id)));
                if (++pending == PIPELINE_CHUNK) {
                    pipeline.sync();
                    pending = 0;
                }
            }
            Map<String, Double> chunk = new LinkedHashMap<>();
            for (Map.Entry<String, Double> entry : delayed.entrySet()) {
                chunk.put(entry.getKey(), entry.getValue());
                if (chunk.size() == PIPELINE_CHUNK) {
                    replies.add(pipeline.zadd(keys.delayed(), chunk));
                    chunk = new LinkedHashMap<>();
                }
            }
            if (!chunk.isEmpty()) {
                replies.add(pipeline.zadd(keys.delayed(), chunk));
            }
            pipeline.sync();
        }
        for (Response<?> reply : replies) {
            reply.get(); // surfaces a refused command (wrong key type, out of memory) as JedisDataException
        }
    }

    // ---- poll ----------------------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>First hands out entries another consumer left unacknowledged for the claim idle time (when a
     * sweep is due), then promotes due delayed entries and reads new ones, blocking in slices of at most
     * the block time, so delayed entries offered by other instances are promoted within one block time.
     * With Redis unreachable, logs and returns empty once {@code wait} has passed.
     *
     * @throws IllegalArgumentException if {@code max} is below 1 or {@code wait} is negative
     * @throws NullPointerException     if {@code wait} is null
     * @throws InterruptedException     if the thread is interrupted (checked between Redis calls)
     */
    @Override
    public List<QueueEntry> poll(int max, Duration wait) throws InterruptedException {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, was " + max);
        }
        Objects.requireNonNull(wait, "wait");
        if (wait.isNegative()) {
            throw new IllegalArgumentException("wait must not be negative, was " + wait);
        }
        long deadline = System.nanoTime() + saturatedNanos(wait);
        boolean retriedStale = false;
        while (!closed.get()) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            try {
                if (groupMissing) {
                    createGroup();
                }
                List<QueueEntry> taken = sweepStale(max);
                if (taken.isEmpty()) {
                    long nextDue = promoteDue();
                    long remaining = ceilMillis(deadline - System.nanoTime());
                    long block = Math.min(remaining, blockMillis);
                    if (nextDue >= 0) {
                        block = Math.min(block, Math.max(1, nextDue - clock.millis()));
                    }
                    taken = read(max, block);
                    if (remaining <= 0) {
                        recovered();
                        return taken;
                    }
                }
                recovered();
                if (!taken.isEmpty()) {
                    return taken;
                }
            } catch (JedisDataException e) {
                if (isNoGroup(e)) {
                    groupMissing = true; // created at the top of the next round
                } else {
                    failed("poll", e);
                    if (!pauseAfterFailure(deadline)) {
                        return List.of();
                    }
                }
            } catch (JedisException e) {
                if (closed.get()) {
                    return List.of();
                }
                failed("poll", e);
                if (e instanceof JedisConnectionException && !retriedStale) {
                    retriedStale = true; // a stale pooled connection was dropped; the next one may be fine
                    continue;
                }
                if (!pauseAfterFailure(deadline)) {
                    return List.of();
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                return List.of();
            }
        }
        return List.of();
    }

    /**
     * Runs the promotion script when it may have work: its interval passed (other instances may have
     * offered delayed entries), or an entry this instance knows of fell due. Under load this spares most
     * polls a round trip.
     *
     * @return epoch millis of the earliest delayed entry known, or -1
     */
    private long promoteDue() {
        long now = System.nanoTime();
        long known = knownNextDue;
        if (now - nextPromoteAt.get() >= 0 || (known >= 0 && known <= clock.millis())) {
            nextPromoteAt.set(now + PROMOTE_INTERVAL_NANOS);
            known = PromoteScript.run(redis, keys, clock.millis(), streamMaxLength);
            // Racing writers may leave an older answer here; the interval bounds how long it misleads.
            knownNextDue = known;
        }
        return known;
    }

    private List<QueueEntry> read(int max, long blockMillis) {
        XReadGroupParams params = XReadGroupParams.xReadGroupParams().count(max);
        if (blockMillis > 0) {
            params.block((int) Math.min(Integer.MAX_VALUE, blockMillis));
        }
        List<Map.Entry<String, List<StreamEntry>>> reply = redis.xreadGroup(group, consumer, params,
                Map.of(keys.stream(), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        if (reply == null || reply.isEmpty()) {
            return List.of();
        }
        return handOut(reply.get(0).getValue(), "read");
    }

    /**
     * Takes over entries left unacknowledged for the claim idle time, when this instance's sweep is due.
     * An XAUTOCLAIM scan moves through the pending list a batch at a time, so a scan may take several polls.
     */
    private List<QueueEntry> sweepStale(int max) {
        long now = System.nanoTime();
        if (now - nextSweepAt.get() < 0 || !sweeping.compareAndSet(false, true)) {
            return List.of();
        }
        try {
            Map.Entry<StreamEntryID, List<StreamEntry>> reply = redis.xautoclaim(keys.stream(), group, consumer,
                    claimIdleMillis, sweepCursor, XAutoClaimParams.xAutoClaimParams().count(max));
            StreamEntryID next = reply.getKey();
            boolean scanDone = next == null || (next.getTime() == 0 && next.getSequence() == 0);
            sweepCursor = scanDone ? new StreamEntryID() : next;
            if (scanDone) {
                nextSweepAt.set(System.nanoTime() + claimIntervalNanos);
                pruneDeadConsumers();
            }
            List<StreamEntry> claimed = reply.getValue() == null ? List.of() : reply.getValue();
            if (claimed.contains(null)) {
                // Redis 6.2 claims entries trimmed while pending without saying which; our own history
                // names them, and acknowledging them ends their life in the pending list.
                ackDeletedPending();
            }
            List<QueueEntry> taken = handOut(claimed, "claimed");
            if (!taken.isEmpty()) {
                log.debug("Redis queue '{}': took over {} entries idle for {} ms or more", keyPrefix, taken.size(),
                        claimIdleMillis);
            }
            return taken;
        } finally {
            sweeping.set(false);
        }
    }

    private void ackDeletedPending() {
        List<Map.Entry<String, List<StreamEntry>>> history = redis.xreadGroup(group, consumer,
                XReadGroupParams.xReadGroupParams().count(PIPELINE_CHUNK), Map.of(keys.stream(), new StreamEntryID()));
        if (history != null && !history.isEmpty()) {
            List<StreamEntryID> gone = new ArrayList<>();
            for (StreamEntry entry : history.get(0).getValue()) {
                if (entry != null && entry.getFields() == null) {
                    gone.add(entry.getID());
                }
            }
            if (!gone.isEmpty()) {
                log.debug("Redis queue '{}': acknowledging {} pending entries trimmed from the stream", keyPrefix,
                        gone.size());
                acknowledge(gone, false);
            }
        }
    }

    /** Removes consumers of dead instances: nothing pending, silent for twenty claim idle times. */
    private void pruneDeadConsumers() {
        long now = System.nanoTime();
        long due = nextPruneAt.get();
        if (now - due < 0 || !nextPruneAt.compareAndSet(due, now + pruneIntervalNanos)) {
            return;
        }
        long idleLimit = TimeUnit.NANOSECONDS.toMillis(pruneIntervalNanos);
        for (StreamConsumerInfo info : redis.xinfoConsumers(keys.stream(), group)) {
            if (!info.getName().equals(consumer) && info.getPending() == 0 && info.getIdle() > idleLimit) {
                redis.xgroupDelConsumer(keys.stream(), group, info.getName());
                log.info("Redis queue '{}': removed consumer '{}', idle for {} ms with nothing pending", keyPrefix,
                        info.getName(), info.getIdle());
            }
        }
    }

    /** Turns stream entries into queue entries; bad ones are logged and acknowledged, never handed out. */
    private List<QueueEntry> handOut(List<StreamEntry> entries, String how) {
        List<QueueEntry> out = new ArrayList<>(entries.size());
        List<StreamEntryID> bad = new ArrayList<>();
        for (StreamEntry entry : entries) {
            if (entry == null || entry.getFields() == null) {
                continue; // deleted while pending; see ackDeletedPending
            }
            String id = entry.getFields().get(RedisKeys.FIELD);
            if (id == null || id.isBlank()) {
                log.warn("Redis queue '{}': dropping {} entry {} without a delivery id (fields {})", keyPrefix, how,
                        entry.getID(), entry.getFields().keySet());
                bad.add(entry.getID());
            } else {
                out.add(new QueueEntry(id, entry.getID().toString()));
            }
        }
        if (!bad.isEmpty()) {
            acknowledge(bad, true);
        }
        return out;
    }

    private void createGroup() {
        try {
            // From the start of the stream: entries offered before the group existed are handed out too.
            redis.xgroupCreate(keys.stream(), group, new StreamEntryID(), true);
            log.info("Redis queue '{}': created consumer group '{}'", keyPrefix, group);
        } catch (JedisDataException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                throw e;
            }
        }
        groupMissing = false;
    }

    private static boolean isNoGroup(JedisDataException e) {
        return e.getMessage() != null && e.getMessage().startsWith("NOGROUP");
    }

    /** Waits before the next attempt, woken by close; false when the poll's deadline came first. */
    private boolean pauseAfterFailure(long deadline) throws InterruptedException {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            return false;
        }
        long pause = Math.max(MIN_FAILURE_PAUSE_NANOS, TimeUnit.MILLISECONDS.toNanos(blockMillis));
        closedSignal.await(Math.min(remaining, pause), TimeUnit.NANOSECONDS);
        return System.nanoTime() - deadline < 0;
    }

    // ---- ack, size, close ----------------------------------------------------------------------------

    /**
     * {@inheritDoc}
     *
     * <p>Removes the entries from the pending list and the stream, batched. Entries without a receipt are
     * skipped. Failures are logged, not thrown: an entry left unacknowledged is only handed out again after
     * the claim idle time, and the store turns the duplicate away.
     *
     * @throws NullPointerException if {@code entries} is null
     */
    @Override
    public void ack(List<QueueEntry> entries) {
        Objects.requireNonNull(entries, "entries");
        List<StreamEntryID> ids = new ArrayList<>(entries.size());
        for (QueueEntry entry : entries) {
            if (entry == null || entry.receipt() == null) {
                continue;
            }
            try {
                ids.add(new StreamEntryID(entry.receipt()));
            } catch (IllegalArgumentException notOurs) {
                log.warn("Redis queue '{}': ignoring an acknowledgement with a malformed receipt", keyPrefix);
            }
        }
        if (ids.isEmpty() || closed.get()) {
            return;
        }
        try {
            acknowledge(ids, true);
            recovered();
        } catch (JedisException e) {
            failed("ack", e);
        }
    }

    private void acknowledge(List<StreamEntryID> ids, boolean delete) {
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (int from = 0; from < ids.size(); from += PIPELINE_CHUNK) {
                StreamEntryID[] chunk = ids.subList(from, Math.min(ids.size(), from + PIPELINE_CHUNK))
                        .toArray(StreamEntryID[]::new);
                pipeline.xack(keys.stream(), group, chunk);
                if (delete) {
                    // One group reads the stream, so an acknowledged entry is of no further use to anyone.
                    pipeline.xdel(keys.stream(), chunk);
                }
            }
            pipeline.sync();
        }
    }

    /**
     * Entries in the stream (waiting or handed out and not yet acknowledged) plus delayed entries; -1 when
     * Redis cannot be reached.
     */
    @Override
    public long size() {
        try (AbstractPipeline pipeline = redis.pipelined()) {
            Response<Long> ready = pipeline.xlen(keys.stream());
            Response<Long> delayed = pipeline.zcard(keys.delayed());
            pipeline.sync();
            return ready.get() + delayed.get();
        } catch (JedisException e) {
            return -1;
        }
    }

    /**
     * Stops handing out entries: pollers return within one block time, later polls at once, offers and
     * acknowledgements are ignored. Removes this consumer from the group when it has nothing pending, and
     * closes the client when the queue made it (not one given to {@link Builder#client}). Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closedSignal.countDown();
        if (!failing.get()) {
            try {
                Map<String, Long> pendingByConsumer = redis.xpending(keys.stream(), group).getConsumerMessageCount();
                Long pending = pendingByConsumer == null ? null : pendingByConsumer.get(consumer);
                if (pending == null || pending == 0) {
                    redis.xgroupDelConsumer(keys.stream(), group, consumer);
                }
            } catch (RuntimeException e) {
                // Best effort: a consumer left behind is pruned by the others later.
                log.debug("Redis queue '{}': could not remove consumer '{}' on close: {}", keyPrefix, consumer,
                        e.toString());
            }
        }
        if (ownsClient) {
            redis.close();
        }
    }

    private void failed(String operation, JedisException e) {
        if (failing.compareAndSet(false, true)) {
            log.warn("Redis queue '{}': {} failed ({}: {}); the store sweep covers for the queue until Redis is back",
                    keyPrefix, operation, e.getClass().getSimpleName(), e.getMessage());
        } else {
            log.debug("Redis queue '{}': {} failed again: {}", keyPrefix, operation, e.toString());
        }
    }

    private void recovered() {
        if (failing.get() && failing.compareAndSet(true, false)) {
            log.info("Redis queue '{}': Redis is reachable again", keyPrefix);
        }
    }

    @Override
    public String toString() {
        return "RedisDeliveryQueue[keyPrefix=" + keyPrefix + ", group=" + group + ", consumer=" + consumer + "]";
    }

    private static long ceilMillis(Instant instant) {
        long millis = instant.toEpochMilli();
        return instant.getNano() % 1_000_000 == 0 ? millis : millis + 1;
    }

    private static long ceilMillis(long nanos) {
        return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2;
        }
    }

    // ---- builder -------------------------------------------------------------------------------------

    /**
     * Configures a {@link RedisDeliveryQueue}. Exactly one of {@link #url(String)} and {@link #client} is
     * required; everything else has a default:
     * key prefix {@value #DEFAULT_KEY_PREFIX}, group {@value #DEFAULT_GROUP}, consumer the host name plus
     * a random suffix, block time 500 ms, claim idle time 1 min, stream max length
     * {@value #DEFAULT_STREAM_MAX_LENGTH}, pool size {@value #DEFAULT_POOL_SIZE} with no minimum idle,
     * connect and socket timeouts 2 s, pool max wait 2 s, clock {@link Clock#systemUTC()}; for a {@code rediss://}
     * url, the JVM's default trust store (see {@link #sslContext(SSLContext)}).
     *
     * <p>Each setter checks its argument: null throws {@link NullPointerException}, out of range
     * {@link IllegalArgumentException}, a clash with another setting {@link IllegalStateException}. Reusable;
     * not thread-safe. {@link #toString()} never shows the password.
     */
    public static final class Builder {
        private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:\\-]{1,64}");
        private static final Pattern NAME = Pattern.compile("\\S{1,128}");
        private static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

        URI url;
        UnifiedJedis client;
        String keyPrefix = DEFAULT_KEY_PREFIX;
        String group = DEFAULT_GROUP;
        String consumer;
        Duration blockTime = DEFAULT_BLOCK_TIME;
        Duration claimIdle = DEFAULT_CLAIM_IDLE;
        long streamMaxLength = DEFAULT_STREAM_MAX_LENGTH;
        int poolSize = DEFAULT_POOL_SIZE;
        int poolMinIdle;
        Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        Duration poolMaxWait = DEFAULT_POOL_MAX_WAIT;
        Clock clock = Clock.systemUTC();
        SSLContext sslContext;
        /** The first connection setting given, which only applies to a client made from {@link #url}. */
        private String connectionSetting;

        private Builder() {
        }

        /**
         * Where Redis is: {@code redis://[[user]:password@]host[:port][/database]}, or {@code rediss://…}
         * for TLS. The queue makes and owns a pooled client for it.
         *
         * <p>Over TLS, the server's certificate must chain to a trusted certificate authority (the JVM's
         * default trust store, or what {@link #sslContext(SSLContext)} gives) and name the url's host: host
         * name verification is always on, so connect by the name the certificate holds (an IP address only
         * matches a certificate listing that address).
         *
         * @throws NullPointerException     if {@code url} is null
         * @throws IllegalArgumentException if it is not such a URL (the message does not repeat it)
         * @throws IllegalStateException    if {@link #client} was set, or if it is a {@code redis://} url
         *                                  and {@link #sslContext(SSLContext)} was set
         */
        public Builder url(String url) {
            Objects.requireNonNull(url, "url");
            if (client != null) {
                throw new IllegalStateException("url and client exclude each other; client was set");
            }
            URI parsed;
            try {
                parsed = new URI(url);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("url is not a valid URI (its text is withheld: it may hold a password)");
            }
            String scheme = parsed.getScheme();
            if (!"redis".equals(scheme) && !"rediss".equals(scheme) || parsed.getHost() == null) {
                throw new IllegalArgumentException("url must look like redis://host:port or rediss://host:port");
            }
            if (sslContext != null && !isTls(parsed)) {
                throw new IllegalStateException("sslContext applies only to a rediss:// url; it clashes with a redis:// url");
            }
            this.url = parsed;
            return this;
        }

        /**
         * An existing client (for instance a {@code RedisClient} or a cluster client) to use instead of a
         * URL. The host keeps owning it: {@link RedisDeliveryQueue#close()} leaves it open.
         *
         * @throws NullPointerException  if {@code client} is null
         * @throws IllegalStateException if {@link #url(String)} was set
         */
        public Builder client(UnifiedJedis client) {
            Objects.requireNonNull(client, "client");
            if (url != null) {
                throw new IllegalStateException("url and client exclude each other; url was set");
            }
            if (connectionSetting != null) {
                throw new IllegalStateException(connectionSetting + " applies only to a client made from url; it clashes with client");
            }
            this.client = client;
            return this;
        }

        /**
         * Names this installation's keys, {@code {prefix}:ready} and {@code {prefix}:delayed}, so that several
         * installations share one Redis. Letters, digits and {@code _.:-}, 1 to 64 characters.
         *
         * @throws NullPointerException     if {@code keyPrefix} is null
         * @throws IllegalArgumentException if it breaks those rules
         */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            if (!PREFIX.matcher(keyPrefix).matches()) {
                throw new IllegalArgumentException("keyPrefix must be 1 to 64 letters, digits or _.:- characters");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * The consumer group every instance of the installation joins. 1 to 128 characters, no whitespace.
         *
         * @throws NullPointerException     if {@code group} is null
         * @throws IllegalArgumentException if it breaks those rules
         */
        public Builder group(String group) {
            Objects.requireNonNull(group, "group");
            if (!NAME.matcher(group).matches()) {
                throw new IllegalArgumentException("group must be 1 to 128 characters without whitespace");
            }
            this.group = group;
            return this;
        }

        /**
         * This instance's name in the group; unique per live instance. Default: host name and a random
         * suffix. 1 to 128 characters, no whitespace.
         *
         * @throws NullPointerException     if {@code consumer} is null
         * @throws IllegalArgumentException if it breaks those rules
         */
        public Builder consumer(String consumer) {
            Objects.requireNonNull(consumer, "consumer");
            if (!NAME.matcher(consumer).matches()) {
                throw new IllegalArgumentException("consumer must be 1 to 128 characters without whitespace");
            }
            this.consumer = consumer;
            return this;
        }

        /**
         * Longest a single blocking read lasts; a poll with a longer wait reads again. Also bounds how late a
         * delayed entry offered by another instance is promoted. From 1 ms to 1 min.
         *
         * @throws NullPointerException     if {@code blockTime} is null
         * @throws IllegalArgumentException if out of range
         */
        public Builder blockTime(Duration blockTime) {
            this.blockTime = inRange("blockTime", blockTime, Duration.ofMillis(1), Duration.ofMinutes(1));
            return this;
        }

        /**
         * How long an entry handed out stays unacknowledged before another consumer (or this one, after a
         * restart) takes it over. Longer than the engine takes to deliver and record one batch, or entries
         * are handed out twice (harmless, but wasted work). From 10 ms to 1 day.
         *
         * @throws NullPointerException     if {@code claimIdle} is null
         * @throws IllegalArgumentException if out of range
         */
        public Builder claimIdle(Duration claimIdle) {
            this.claimIdle = inRange("claimIdle", claimIdle, Duration.ofMillis(10), Duration.ofDays(1));
            return this;
        }

        /**
         * Approximate bound on the stream's length ({@code MAXLEN ~}); the oldest entries are trimmed beyond
         * it, and the store sweep hands out what was trimmed. At least 1.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder streamMaxLength(long streamMaxLength) {
            if (streamMaxLength < 1) {
                throw new IllegalArgumentException("streamMaxLength must be at least 1, was " + streamMaxLength);
            }
            this.streamMaxLength = streamMaxLength;
            return this;
        }

        /**
         * Most connections of the pool made for {@link #url(String)}; each polling thread holds one while it
         * blocks. From 1 to 1024.
         *
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException    if {@link #client} was set
         */
        public Builder poolSize(int poolSize) {
            if (poolSize < 1 || poolSize > 1024) {
                throw new IllegalArgumentException("poolSize must be from 1 to 1024, was " + poolSize);
            }
            this.poolSize = touch("poolSize", poolSize);
            return this;
        }

        /**
         * Connections the pool keeps open when idle; at most {@link #poolSize(int)}. At least 0.
         *
         * @throws IllegalArgumentException if below 0
         * @throws IllegalStateException    if {@link #client} was set
         */
        public Builder poolMinIdle(int poolMinIdle) {
            if (poolMinIdle < 0) {
                throw new IllegalArgumentException("poolMinIdle must not be negative, was " + poolMinIdle);
            }
            this.poolMinIdle = touch("poolMinIdle", poolMinIdle);
            return this;
        }

        /**
         * Timeout to open a connection. From 1 ms to 5 min.
         *
         * @throws NullPointerException     if {@code connectTimeout} is null
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException    if {@link #client} was set
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = touch("connectTimeout",
                    inRange("connectTimeout", connectTimeout, Duration.ofMillis(1), MAX_TIMEOUT));
            return this;
        }

        /**
         * Timeout for a reply; a blocking read gets the block time on top. From 1 ms to 5 min.
         *
         * @throws NullPointerException     if {@code socketTimeout} is null
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException    if {@link #client} was set
         */
        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = touch("socketTimeout",
                    inRange("socketTimeout", socketTimeout, Duration.ofMillis(1), MAX_TIMEOUT));
            return this;
        }

        /**
         * Longest a call waits for a free pooled connection. From 1 ms to 5 min.
         *
         * @throws NullPointerException     if {@code poolMaxWait} is null
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException    if {@link #client} was set
         */
        public Builder poolMaxWait(Duration poolMaxWait) {
            this.poolMaxWait = touch("poolMaxWait", inRange("poolMaxWait", poolMaxWait, Duration.ofMillis(1), MAX_TIMEOUT));
            return this;
        }

        /**
         * Trust material, and a client certificate if Redis asks for one ({@code tls-auth-clients}), for the
         * TLS connections of a {@code rediss://} {@link #url(String) url}: for instance a context whose trust
         * manager holds a private certificate authority. Default: the JVM's default trust store. Host name
         * verification stays on whatever the context: the certificate must name the url's host. A host that
         * needs other TLS settings builds its own client and passes it with {@link #client}.
         *
         * @throws NullPointerException     if {@code sslContext} is null
         * @throws IllegalArgumentException if it was not initialised ({@link SSLContext#init})
         * @throws IllegalStateException    if {@link #client} was set, or {@link #url(String)} is a
         *                                  {@code redis://} url
         */
        public Builder sslContext(SSLContext sslContext) {
            Objects.requireNonNull(sslContext, "sslContext");
            try {
                sslContext.getSocketFactory();
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("sslContext must be initialised (SSLContext.init) before it is given");
            }
            if (url != null && !isTls(url)) {
                throw new IllegalStateException("sslContext applies only to a rediss:// url; it clashes with the redis:// url set");
            }
            this.sslContext = touch("sslContext", sslContext);
            return this;
        }

        /**
         * The clock that decides when a delayed entry is due.
         *
         * @throws NullPointerException if {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * A queue with these settings. Makes no call to Redis: the consumer group is created on first poll,
         * so an instance starts while Redis is down.
         *
         * @throws IllegalStateException if neither {@link #url(String)} nor {@link #client} was set, if
         *                               connection settings were given with {@link #client}, if
         *                               {@code sslContext} was given with a {@code redis://} url, or if
         *                               {@code poolMinIdle} exceeds {@code poolSize}
         */
        public RedisDeliveryQueue build() {
            if (url == null && client == null) {
                throw new IllegalStateException("set url or client");
            }
            if (client != null && connectionSetting != null) {
                throw new IllegalStateException(connectionSetting + " applies only to a client made from url, but client was set");
            }
            if (sslContext != null && url != null && !isTls(url)) {
                throw new IllegalStateException("sslContext applies only to a rediss:// url, but url is redis://");
            }
            if (poolMinIdle > poolSize) {
                throw new IllegalStateException("poolMinIdle (" + poolMinIdle + ") exceeds poolSize (" + poolSize + ")");
            }
            String name = consumer != null ? consumer : defaultConsumerName();
            if (client != null) {
                return new RedisDeliveryQueue(this, client, false, name);
            }
            return new RedisDeliveryQueue(this, RedisClients.create(url, this), true, name);
        }

        @Override
        public String toString() {
            String where = url != null ? url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                    : client != null ? "client" : "unset";
            return "RedisDeliveryQueue.Builder[" + where + ", keyPrefix=" + keyPrefix + ", group=" + group + "]";
        }

        private <T> T touch(String setting, T value) {
            if (client != null) {
                throw new IllegalStateException(setting + " applies only to a client made from url, but client was set");
            }
            if (connectionSetting == null) {
                connectionSetting = setting;
            }
            return value;
        }

        static boolean isTls(URI url) {
            return "rediss".equals(url.getScheme());
        }

        private static Duration inRange(String name, Duration value, Duration min, Duration max) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", was " + value);
            }
            return value;
        }

        private static String defaultConsumerName() {
            String host = System.getenv("HOSTNAME");
            if (host == null || host.isBlank()) {
                try {
                    host = InetAddress.getLocalHost().getHostName();
                } catch (IOException | SecurityException e) {
                    host = "herald";
                }
            }
            String safeHost = host.replaceAll("\\s", "");
            if (safeHost.isEmpty() || safeHost.length() > 100) {
                safeHost = "herald";
            }
            return safeHost + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        }
    }
}
