package dev.herald.queue.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.engine.spi.DeliveryQueue;
import dev.herald.engine.spi.DeliveryQueueContract;
import dev.herald.engine.spi.QueueEntry;
import dev.herald.engine.spi.QueuedDelivery;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamConsumerInfo;

/** The queue contract and the Redis-specific promises, on a real Redis. */
class RedisDeliveryQueueTest extends DeliveryQueueContract {

    private static final Duration CLAIM_IDLE = Duration.ofSeconds(1);
    private static final Duration BLOCK = Duration.ofMillis(200);
    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private static EmbeddedRedis redis;
    private static RedisClient inspector;

    private final List<DeliveryQueue> extraQueues = new ArrayList<>();
    private String prefix;

    RedisDeliveryQueueTest() {
        super(CLAIM_IDLE);
    }

    @BeforeAll
    static void startRedis() {
        redis = EmbeddedRedis.launch();
        inspector = redis.client();
    }

    @AfterAll
    static void stopRedis() {
        inspector.close();
        redis.close();
    }

    @Override
    protected DeliveryQueue newQueue(Clock clock) {
        prefix = "t" + PREFIXES.incrementAndGet();
        return queueNamed("main", clock);
    }

    /** Another instance of the same installation: same prefix and group, its own consumer name. */
    private RedisDeliveryQueue queueNamed(String consumer, Clock clock) {
        return RedisDeliveryQueue.builder()
                .url(redis.url())
                .keyPrefix(prefix)
                .consumer(consumer)
                .blockTime(BLOCK)
                .claimIdle(CLAIM_IDLE)
                .clock(clock)
                .build();
    }

    @AfterEach
    void closeExtraQueues() {
        extraQueues.forEach(DeliveryQueue::close);
    }

    private RedisDeliveryQueue extra(RedisDeliveryQueue queue) {
        extraQueues.add(queue);
        return queue;
    }

    private String stream() {
        return RedisKeys.forPrefix(prefix).stream();
    }

    private long pendingTotal() {
        return inspector.xpending(stream(), RedisDeliveryQueue.DEFAULT_GROUP).getTotal();
    }

    private List<QueueEntry> pollUntil(DeliveryQueue from, int count) {
        List<QueueEntry> taken = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() -> {
            taken.addAll(from.poll(count - taken.size(), Duration.ofMillis(100)));
            return taken.size() >= count;
        });
        return taken;
    }

    @Test
    void entriesPendingAtAKilledConsumerAreHandedToAnother() throws InterruptedException {
        RedisDeliveryQueue doomed = extra(queueNamed("doomed", clock));
        RedisDeliveryQueue survivor = extra(queueNamed("survivor", clock));
        List<String> ids = List.of(newId(), newId(), newId());
        offerDueNow(ids);
        List<QueueEntry> lost = pollUntil(doomed, ids.size()); // taken, never acknowledged: the process "dies"
        assertThat(lost).extracting(QueueEntry::deliveryId).containsExactlyInAnyOrderElementsOf(ids);

        assertThat(survivor.poll(10, Duration.ofMillis(300))).as("not before the claim idle time").isEmpty();
        long start = System.nanoTime();
        List<QueueEntry> rescued = pollUntil(survivor, ids.size());

        assertThat(rescued).extracting(QueueEntry::deliveryId).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(CLAIM_IDLE.plusSeconds(5));
        survivor.ack(rescued);
        assertThat(pendingTotal()).isZero();
        assertThat(inspector.xlen(stream())).as("acknowledged entries leave the stream").isZero();
    }

    @Test
    void twoInstancesShareTheWorkAndEachIdGoesOutOnceWhileHealthy() throws Exception {
        RedisDeliveryQueue one = extra(queueNamed("one", clock));
        RedisDeliveryQueue two = extra(queueNamed("two", clock));
        List<String> twenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            twenty.add(newId());
        }
        offerDueNow(twenty);
        List<QueueEntry> toOne = pollUntil(one, 10);
        List<QueueEntry> toTwo = pollUntil(two, 10);
        assertThat(ids(toOne)).doesNotContainAnyElementsOf(ids(toTwo));
        assertThat(union(ids(toOne), ids(toTwo))).containsExactlyInAnyOrderElementsOf(twenty);
        one.ack(toOne);
        two.ack(toTwo);

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            ids.add(newId());
        }
        Map<String, Integer> handedOut = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (RedisDeliveryQueue instance : List.of(one, two, one, two)) {
                tasks.add(workers.submit(() -> {
                    while (!stop.get()) {
                        List<QueueEntry> taken = instance.poll(50, Duration.ofMillis(100));
                        taken.forEach(entry -> handedOut.merge(entry.deliveryId(), 1, Integer::sum));
                        instance.ack(taken);
                    }
                    return null;
                }));
            }
            for (int from = 0; from < ids.size(); from += 100) {
                offerDueNow(ids.subList(from, from + 100));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> handedOut.size() == ids.size());
            stop.set(true);
            for (Future<?> task : tasks) {
                task.get(10, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            workers.shutdownNow();
        }
        assertThat(handedOut.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(handedOut.values()).as("no id handed out twice").containsOnly(1);
        assertThat(pendingTotal()).isZero();
    }

    @Test
    void anUnparseableEntryIsAcknowledgedAndSkipped() {
        inspector.xadd(stream(), XAddParams.xAddParams(), Map.of("something", "else"));
        inspector.xadd(stream(), XAddParams.xAddParams(), Map.of(RedisKeys.FIELD, " "));
        String good = newId();
        offerDueNow(List.of(good));

        assertThat(drainUntilSeen(queue, List.of(good), Duration.ofSeconds(10))).containsExactly(good);

        assertThat(pendingTotal()).as("bad entries are not left pending").isZero();
        assertThat(inspector.xlen(stream())).as("nor in the stream").isZero();
    }

    @Test
    void aFlushedRedisGetsItsGroupBackOnTheNextPoll() {
        String before = newId();
        offerDueNow(List.of(before));
        drainUntilSeen(queue, List.of(before), Duration.ofSeconds(10));

        inspector.flushAll();
        String after = newId();
        offerDueNow(List.of(after));

        assertThat(drainUntilSeen(queue, List.of(after), Duration.ofSeconds(10))).containsExactly(after);
        assertThat(inspector.xinfoGroups(stream())).extracting(info -> info.getName())
                .containsExactly(RedisDeliveryQueue.DEFAULT_GROUP);
    }

    @Test
    void delayedEntriesAreMovedToTheStreamByAnyInstance() {
        RedisDeliveryQueue other = extra(queueNamed("other", clock));
        String later = newId();
        queue.offer(List.of(new QueuedDelivery(later, clock.instant().plusSeconds(30))));
        assertThat(inspector.zcard(RedisKeys.forPrefix(prefix).delayed())).isEqualTo(1);

        clock.advance(Duration.ofSeconds(30));

        assertThat(drainUntilSeen(other, List.of(later), Duration.ofSeconds(10))).containsExactly(later);
        assertThat(inspector.zcard(RedisKeys.forPrefix(prefix).delayed())).isZero();
    }

    @Test
    void pendingEntriesTrimmedFromTheStreamDoNotLingerInThePendingList() {
        RedisDeliveryQueue tiny = extra(RedisDeliveryQueue.builder().url(redis.url()).keyPrefix(prefix)
                .consumer("tiny").blockTime(BLOCK).claimIdle(CLAIM_IDLE).streamMaxLength(10).clock(clock).build());
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            first.add(newId());
        }
        tiny.offer(first.stream().map(id -> new QueuedDelivery(id, clock.instant())).toList());
        List<QueueEntry> abandoned = pollUntil(tiny, 300); // handed out, never acknowledged
        List<String> second = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            second.add(newId());
        }
        tiny.offer(second.stream().map(id -> new QueuedDelivery(id, clock.instant())).toList());
        assertThat(inspector.xlen(stream())).as("the stream was trimmed").isLessThan(600);
        assertThat(abandoned).hasSize(300);

        // Everything still in the stream is handed out again (or for the first time); what was trimmed
        // away while pending must not stay pending forever.
        Set<String> seen = ConcurrentHashMap.newKeySet();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(1)).until(() -> {
            List<QueueEntry> taken = queue.poll(500, Duration.ofMillis(100));
            taken.forEach(entry -> seen.add(entry.deliveryId()));
            queue.ack(taken);
            return pendingTotal() == 0 && inspector.xlen(stream()) == 0;
        });
        assertThat(seen).isNotEmpty().allMatch(id -> first.contains(id) || second.contains(id));
    }

    @Test
    void closeRemovesAConsumerWithNothingPending() {
        RedisDeliveryQueue leaving = queueNamed("leaving", clock);
        String id = newId();
        offerDueNow(List.of(id));
        leaving.ack(pollUntil(leaving, 1));
        assertThat(consumers()).contains("leaving");

        leaving.close();

        assertThat(consumers()).doesNotContain("leaving");
    }

    @Test
    void consumersOfDeadInstancesAreRemovedOnceIdleForLong() {
        RedisDeliveryQueue sweeper = extra(RedisDeliveryQueue.builder().url(redis.url()).keyPrefix(prefix)
                .consumer("sweeper").blockTime(Duration.ofMillis(20)).claimIdle(Duration.ofMillis(50)).clock(clock).build());
        offerDueNow(List.of(newId()));
        sweeper.ack(pollUntil(sweeper, 1)); // creates the group
        // A consumer that read one entry, acknowledged it and went silent: an instance killed with nothing in flight.
        offerDueNow(List.of(newId()));
        var read = inspector.xreadGroup(RedisDeliveryQueue.DEFAULT_GROUP, "ghost",
                XReadGroupParams.xReadGroupParams().count(1), Map.of(stream(), StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
        inspector.xack(stream(), RedisDeliveryQueue.DEFAULT_GROUP, read.get(0).getValue().get(0).getID());
        assertThat(consumers()).contains("ghost");

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(1)).until(() -> {
            sweeper.poll(10, Duration.ofMillis(50));
            return !consumers().contains("ghost");
        });
        assertThat(consumers()).contains("sweeper");
    }

    @Test
    void aQueueOnAGivenClientWorksAndLeavesTheClientOpen() {
        try (RedisClient given = redis.client()) {
            RedisDeliveryQueue onClient = RedisDeliveryQueue.builder().client(given).keyPrefix(prefix)
                    .consumer("given").blockTime(BLOCK).clock(clock).build();
            String id = newId();
            onClient.offer(List.of(new QueuedDelivery(id, clock.instant())));
            assertThat(drainUntilSeen(onClient, List.of(id), Duration.ofSeconds(10))).containsExactly(id);

            onClient.close();

            assertThat(given.ping()).isEqualTo("PONG");
        }
    }

    private static List<String> ids(List<QueueEntry> entries) {
        return entries.stream().map(QueueEntry::deliveryId).toList();
    }

    private static List<String> union(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private List<String> consumers() {
        return inspector.xinfoConsumers(stream(), RedisDeliveryQueue.DEFAULT_GROUP).stream()
                .map(StreamConsumerInfo::getName).toList();
    }

    @Test
    void entriesHandedOutToARestartedProcessUnderTheSameNameComeBackToIt() {
        RedisDeliveryQueue firstLife = queueNamed("stable", clock);
        String id = newId();
        offerDueNow(List.of(id));
        pollUntil(firstLife, 1); // the process crashes before acknowledging
        firstLife.close();

        RedisDeliveryQueue secondLife = extra(queueNamed("stable", clock));
        List<QueueEntry> again = pollUntil(secondLife, 1);

        assertThat(again).extracting(QueueEntry::deliveryId).containsExactly(id);
        secondLife.ack(again);
        assertThat(pendingTotal()).isZero();
        assertThat(Collections.frequency(consumers(), "stable")).isEqualTo(1);
    }
}
