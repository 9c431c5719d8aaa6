package dev.herald.engine.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.herald.engine.model.Ids;
import dev.herald.engine.testing.SettableClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The promises every {@link DeliveryQueue} keeps. An implementation's test extends this class, says in
 * its constructor whether the queue redelivers unacknowledged entries, and supplies fresh queues.
 *
 * <p>What is checked follows from the queue being an accelerator in front of the store: a queue may hand
 * an entry out twice, but never before its due time, and it hands out every entry it kept; an acknowledged
 * entry is not handed out again; pollers wait about as long as asked and are woken by new work and by
 * {@link DeliveryQueue#close()}.
 *
 * <p>Each test gets a new queue on a {@link SettableClock} that stands still unless the test moves it.
 */
public abstract class DeliveryQueueContract {

    /** How long a poll inside a waiting loop may block; short so that loops notice clock moves. */
    private static final Duration SHORT = Duration.ofMillis(100);
    /** Generous upper bound for anything that should happen "soon" on a busy machine. */
    private static final Duration SOON = Duration.ofSeconds(10);

    private final Duration redeliversUnackedAfter;
    private final Ids ids = new Ids(Clock.systemUTC(), new Random(42));

    /** The clock given to {@link #newQueue}; stands still unless a test moves it. */
    protected SettableClock clock;
    /** The queue under test, made fresh for each test. */
    protected DeliveryQueue queue;

    /** For a queue that never hands out an entry again once it was polled, acknowledged or not. */
    protected DeliveryQueueContract() {
        this.redeliversUnackedAfter = null;
    }

    /**
     * For a queue that hands out again an entry left unacknowledged for {@code redeliversUnackedAfter}
     * (measured in real time), for instance after its consumer died.
     *
     * @throws IllegalArgumentException if the duration is not positive
     */
    protected DeliveryQueueContract(Duration redeliversUnackedAfter) {
        Objects.requireNonNull(redeliversUnackedAfter, "redeliversUnackedAfter");
        if (redeliversUnackedAfter.isNegative() || redeliversUnackedAfter.isZero()) {
            throw new IllegalArgumentException("redeliversUnackedAfter must be positive, was " + redeliversUnackedAfter);
        }
        this.redeliversUnackedAfter = redeliversUnackedAfter;
    }

    /**
     * A new, empty queue that takes due times from {@code clock} and shares no entries with queues made
     * for earlier tests.
     */
    protected abstract DeliveryQueue newQueue(Clock clock) throws Exception;

    /** Releases what {@link #newQueue} set up, after the queue was closed. Does nothing by default. */
    protected void cleanUp(DeliveryQueue closedQueue) throws Exception {
    }

    @BeforeEach
    void createQueue() throws Exception {
        clock = new SettableClock();
        queue = newQueue(clock);
    }

    @AfterEach
    void closeQueue() throws Exception {
        if (queue != null) {
            queue.close();
            cleanUp(queue);
        }
    }

    // ---- helpers for subclasses too ----------------------------------------------------------------

    /** A fresh delivery id. */
    protected String newId() {
        return ids.next(Ids.DELIVERY);
    }

    /** Offers each id due at the clock's current time. */
    protected void offerDueNow(Collection<String> deliveryIds) {
        queue.offer(deliveryIds.stream().map(id -> new QueuedDelivery(id, clock.instant())).toList());
    }

    /**
     * Polls (and acknowledges) until every id in {@code expected} was handed out, failing after
     * {@code within}; returns every id handed out meanwhile, duplicates included.
     */
    protected List<String> drainUntilSeen(DeliveryQueue from, Collection<String> expected, Duration within) {
        List<String> seen = new ArrayList<>();
        await().atMost(within).pollInterval(Duration.ofMillis(1)).until(() -> {
            List<QueueEntry> batch = from.poll(100, SHORT);
            batch.forEach(entry -> seen.add(entry.deliveryId()));
            from.ack(batch);
            return seen.containsAll(expected);
        });
        return seen;
    }

    private static List<String> idsOf(List<QueueEntry> entries) {
        return entries.stream().map(QueueEntry::deliveryId).toList();
    }

    private List<String> newIds(int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(newId());
        }
        return out;
    }

    // ---- the contract ------------------------------------------------------------------------------

    @Test
    void dueEntriesAreHandedOut() {
        List<String> due = newIds(3);
        String overdue = newId();
        offerDueNow(due);
        queue.offer(List.of(new QueuedDelivery(overdue, clock.instant().minus(Duration.ofHours(1)))));

        List<String> seen = drainUntilSeen(queue, union(due, List.of(overdue)), SOON);

        assertThat(seen).containsOnlyElementsOf(union(due, List.of(overdue)));
    }

    @Test
    void entriesAreHeldUntilTheClockReachesTheirDueTime() throws InterruptedException {
        String first = newId();
        String second = newId();
        String dueNow = newId();
        queue.offer(List.of(
                new QueuedDelivery(second, clock.instant().plusSeconds(20)),
                new QueuedDelivery(first, clock.instant().plusSeconds(10)),
                new QueuedDelivery(dueNow, clock.instant())));

        assertThat(drainUntilSeen(queue, List.of(dueNow), SOON)).containsOnly(dueNow);
        assertThat(queue.poll(10, SHORT)).isEmpty();

        clock.advance(Duration.ofMillis(9_999));
        assertThat(queue.poll(10, SHORT)).as("one millisecond before its due time").isEmpty();

        clock.advance(Duration.ofMillis(1));
        assertThat(drainUntilSeen(queue, List.of(first), SOON)).containsOnly(first);
        assertThat(queue.poll(10, SHORT)).isEmpty();

        clock.advance(Duration.ofSeconds(10));
        assertThat(drainUntilSeen(queue, List.of(second), SOON)).containsOnly(second);
    }

    @Test
    void pollHandsOutAtMostMax() {
        List<String> offered = newIds(25);
        offerDueNow(offered);
        Set<String> seen = ConcurrentHashMap.newKeySet();

        await().atMost(SOON).pollInterval(Duration.ofMillis(1)).until(() -> {
            List<QueueEntry> batch = queue.poll(7, SHORT);
            assertThat(batch).hasSizeLessThanOrEqualTo(7);
            seen.addAll(idsOf(batch));
            queue.ack(batch);
            return seen.size() == offered.size();
        });
        assertThat(seen).containsExactlyInAnyOrderElementsOf(offered);
    }

    @Test
    void pollWithNothingDueReturnsEmptyAfterAboutItsWait() throws InterruptedException {
        Duration wait = Duration.ofMillis(300);
        long start = System.nanoTime();
        assertThat(queue.poll(10, wait)).isEmpty();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertThat(elapsed).as("an idle poll waits instead of spinning").isGreaterThanOrEqualTo(wait.dividedBy(2));
        assertThat(elapsed).isLessThan(wait.plus(Duration.ofSeconds(3)));
    }

    @Test
    void pollEndsByItsWaitEvenWhenTheClockStandsStill() throws InterruptedException {
        // Under a clock that never moves the entry never becomes due; the wait is real time regardless.
        queue.offer(List.of(new QueuedDelivery(newId(), clock.instant().plusMillis(50))));
        Duration wait = Duration.ofMillis(300);
        long start = System.nanoTime();
        assertThat(queue.poll(10, wait)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(wait.plus(Duration.ofSeconds(3)));
    }

    @Test
    void aWaitingPollerIsWokenByNewDueWork() throws Exception {
        ExecutorService pollers = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch polling = new CountDownLatch(1);
            Future<List<QueueEntry>> result = pollers.submit(() -> {
                polling.countDown();
                return queue.poll(10, Duration.ofSeconds(30));
            });
            polling.await(SOON.toMillis(), TimeUnit.MILLISECONDS);
            await().during(Duration.ofMillis(200)).atMost(SOON).until(() -> !result.isDone());

            String id = newId();
            long offeredAt = System.nanoTime();
            offerDueNow(List.of(id));

            assertThat(idsOf(result.get(SOON.toMillis(), TimeUnit.MILLISECONDS))).containsExactly(id);
            assertThat(Duration.ofNanos(System.nanoTime() - offeredAt)).isLessThan(Duration.ofSeconds(5));
        } finally {
            pollers.shutdownNow();
        }
    }

    @Test
    void acknowledgedEntriesAreNotHandedOutAgain() {
        List<String> offered = newIds(5);
        offerDueNow(offered);
        drainUntilSeen(queue, offered, SOON); // acknowledges what it polls

        Duration watch = redeliversUnackedAfter == null
                ? Duration.ofMillis(500)
                : redeliversUnackedAfter.multipliedBy(2).plusMillis(500);
        await().during(watch).atMost(watch.plus(SOON)).pollInterval(Duration.ofMillis(1))
                .until(() -> queue.poll(100, SHORT).isEmpty());
    }

    @Test
    void unacknowledgedEntriesAreRedeliveredOnlyIfTheQueueSaysSo() throws InterruptedException {
        String id = newId();
        offerDueNow(List.of(id));
        List<QueueEntry> taken = new ArrayList<>();
        await().atMost(SOON).pollInterval(Duration.ofMillis(1)).until(() -> {
            taken.addAll(queue.poll(10, SHORT));
            return !taken.isEmpty();
        });
        assertThat(idsOf(taken)).containsExactly(id);
        assertThat(queue.poll(10, SHORT)).as("not handed out again at once").isEmpty();

        if (redeliversUnackedAfter == null) {
            await().during(Duration.ofMillis(500)).atMost(SOON).pollInterval(Duration.ofMillis(1))
                    .until(() -> queue.poll(10, SHORT).isEmpty());
        } else {
            long start = System.nanoTime();
            List<QueueEntry> again = new ArrayList<>();
            await().atMost(redeliversUnackedAfter.plus(SOON)).pollInterval(Duration.ofMillis(1)).until(() -> {
                again.addAll(queue.poll(10, SHORT));
                return !again.isEmpty();
            });
            assertThat(idsOf(again)).containsExactly(id);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("redelivered no earlier than the idle time, less the poll already spent")
                    .isGreaterThanOrEqualTo(redeliversUnackedAfter.minus(SHORT.multipliedBy(3)));
            queue.ack(again);
            queue.ack(taken);
        }
    }

    @Test
    void anIdOfferedSeveralTimesIsHandedOutAtLeastOnce() {
        String twice = newId();
        String other = newId();
        offerDueNow(List.of(twice, other, twice));
        offerDueNow(List.of(twice));

        List<String> seen = drainUntilSeen(queue, List.of(twice, other), SOON);

        assertThat(seen).containsOnly(twice, other);
    }

    @Test
    void manyProducersAndConsumersHandOutEveryId() throws Exception {
        int producers = 4;
        int perProducer = 500;
        int batch = 25;
        int consumers = 4;
        Set<String> offered = ConcurrentHashMap.newKeySet();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<String> strangers = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(producers + consumers);
        try {
            List<Future<?>> consumerTasks = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                consumerTasks.add(pool.submit(() -> {
                    while (!stop.get()) {
                        List<QueueEntry> taken = queue.poll(50, SHORT);
                        for (QueueEntry entry : taken) {
                            if (!offered.contains(entry.deliveryId())) {
                                strangers.add(entry.deliveryId());
                            }
                            seen.add(entry.deliveryId());
                        }
                        queue.ack(taken);
                    }
                    return null;
                }));
            }
            List<Future<?>> producerTasks = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                producerTasks.add(pool.submit(() -> {
                    for (int i = 0; i < perProducer; i += batch) {
                        List<QueuedDelivery> deliveries = new ArrayList<>();
                        for (String id : newIds(batch)) {
                            offered.add(id);
                            // Every other batch of odd producers goes through the delayed path.
                            boolean later = producer % 2 == 1 && (i / batch) % 2 == 1;
                            deliveries.add(new QueuedDelivery(id, later ? clock.instant().plusSeconds(60) : clock.instant()));
                        }
                        queue.offer(deliveries);
                    }
                    return null;
                }));
            }
            for (Future<?> task : producerTasks) {
                task.get(SOON.toMillis(), TimeUnit.MILLISECONDS);
            }
            clock.advance(Duration.ofSeconds(60));

            await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= offered.size());
            stop.set(true);
            for (Future<?> task : consumerTasks) {
                task.get(SOON.toMillis(), TimeUnit.MILLISECONDS);
            }
            assertThat(offered).hasSize(producers * perProducer);
            assertThat(seen).containsExactlyInAnyOrderElementsOf(offered);
            assertThat(strangers).isEmpty();
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
    }

    @Test
    void closeWakesABlockedPollerAndLaterPollsReturnEmpty() throws Exception {
        CountDownLatch polling = new CountDownLatch(1);
        CompletableFuture<List<QueueEntry>> result = CompletableFuture.supplyAsync(() -> {
            polling.countDown();
            try {
                return queue.poll(10, Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        polling.await(SOON.toMillis(), TimeUnit.MILLISECONDS);
        await().during(Duration.ofMillis(200)).atMost(SOON).until(() -> !result.isDone());

        long closedAt = System.nanoTime();
        queue.close();

        assertThat(result.get(SOON.toMillis(), TimeUnit.MILLISECONDS)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isLessThan(Duration.ofSeconds(5));
        long start = System.nanoTime();
        assertThat(queue.poll(10, Duration.ofSeconds(30))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        queue.close(); // idempotent
    }

    @Test
    void sizeCountsWaitingEntriesOrSaysItCannot() {
        offerDueNow(newIds(2));
        queue.offer(List.of(new QueuedDelivery(newId(), clock.instant().plusSeconds(60))));
        long size = queue.size();
        assertThat(size == -1 || size == 3).as("size %d is -1 or 3", size).isTrue();
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> queue.poll(0, SHORT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.poll(1, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> queue.poll(1, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> queue.offer(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> queue.ack(null)).isInstanceOf(NullPointerException.class);
        queue.offer(List.of()); // nothing to do, and no failure
        queue.ack(List.of());
    }

    private static List<String> union(Collection<String> a, Collection<String> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
