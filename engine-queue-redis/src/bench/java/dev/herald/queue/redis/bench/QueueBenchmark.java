package dev.herald.queue.redis.bench;

import dev.herald.engine.memory.InProcessDeliveryQueue;
import dev.herald.engine.spi.DeliveryQueue;
import dev.herald.engine.spi.QueueEntry;
import dev.herald.engine.spi.QueuedDelivery;
import dev.herald.engine.testing.SettableClock;
import dev.herald.queue.redis.RedisDeliveryQueue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.XAddParams;
import redis.embedded.RedisServer;

/**
 * Throughput of the Redis queue on a local Redis (the embedded-redis binary), against two references:
 * raw pipelined {@code XADD} on the same Redis, and the in-process queue. Not a test; run with
 * {@code mvn -B -q -pl engine-queue-redis -am -Pbench -DskipTests verify} (arguments: ids per round,
 * default 200000; consumer threads, default 2).
 *
 * <p>One round pushes every id through the whole cycle: {@code offer} in batches of 1,000 from one thread,
 * {@code poll(1000)} and {@code ack} from the consumer threads, until every id was acknowledged. A queue
 * operation is one id offered, polled or acknowledged, so a round is 3 × ids operations. Each figure is
 * the median of three rounds, after a warm-up round.
 */
public final class QueueBenchmark {

    private static final int BATCH = 1_000;
    private static final int ROUNDS = 3;

    private QueueBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int ids = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int consumers = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int port = freePort();
        RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        server.start();
        try (RedisClient raw = RedisClient.builder().hostAndPort("127.0.0.1", port).build()) {
            String url = "redis://127.0.0.1:" + port;
            System.out.printf("JDK %s, %d cores, %d ids per round, %d consumer threads, Redis %s%n",
                    Runtime.version(), Runtime.getRuntime().availableProcessors(), ids, consumers,
                    raw.info("server").lines().filter(l -> l.startsWith("redis_version")).findFirst().orElse("?"));

            // Warm-up: JIT, pool, Lua script cache.
            rawXadd(raw, ids / 4);
            cycle(redisQueue(url, "warm", Clock.systemUTC()), ids / 4, consumers, false, null);
            cycle(InProcessDeliveryQueue.create(), ids / 4, consumers, false, null);
            raw.flushAll();

            double[] xadd = new double[ROUNDS];
            double[] redisDue = new double[ROUNDS];
            double[] redisDelayed = new double[ROUNDS];
            double[] inProcess = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                xadd[round] = rawXadd(raw, ids);
                redisDue[round] = cycle(redisQueue(url, "due" + round, Clock.systemUTC()), ids, consumers, false, null);
                SettableClock clock = new SettableClock(Instant.now());
                redisDelayed[round] = cycle(redisQueue(url, "delayed" + round, clock), ids, consumers, true, clock);
                inProcess[round] = cycle(InProcessDeliveryQueue.create(), ids, consumers, false, null);
                raw.flushAll();
            }

            System.out.println();
            System.out.printf("Median of %d rounds (lowest - highest)%n%n", ROUNDS);
            System.out.println("| what | ids/s | queue ops/s (3 per id) |");
            System.out.println("|---|---:|---:|");
            System.out.printf("| raw pipelined XADD, batches of %d (reference) | %s | - |%n", BATCH, spread(xadd, 1));
            System.out.printf("| RedisDeliveryQueue, due now | %s | %s |%n", spread(redisDue, 1), spread(redisDue, 3));
            System.out.printf("| RedisDeliveryQueue, delayed, then promoted by the script | %s | %s |%n",
                    spread(redisDelayed, 1), spread(redisDelayed, 3));
            System.out.printf("| InProcessDeliveryQueue (reference) | %s | %s |%n", spread(inProcess, 1), spread(inProcess, 3));
            System.out.printf("%nRedis queue, due now: ops/s over raw XADD/s %.2f, full cycles/s over raw XADD/s %.2f%n",
                    3 * median(redisDue) / median(xadd), median(redisDue) / median(xadd));
        } finally {
            server.stop();
        }
    }

    private static RedisDeliveryQueue redisQueue(String url, String prefix, Clock clock) {
        return RedisDeliveryQueue.builder().url(url).keyPrefix("bench-" + prefix).clock(clock).build();
    }

    /** Ids per second through XADD alone, pipelined in batches, from one thread. */
    private static double rawXadd(RedisClient redis, int ids) {
        XAddParams params = XAddParams.xAddParams().maxLen(1_000_000).approximateTrimming();
        long start = System.nanoTime();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (int i = 0; i < ids; i++) {
                pipeline.xadd("{bench-raw}:ready", params, Map.of("id", "dlv_" + i));
                if ((i + 1) % BATCH == 0) {
                    pipeline.sync();
                }
            }
            pipeline.sync();
        }
        double perSecond = ids / seconds(start);
        redis.del("{bench-raw}:ready");
        return perSecond;
    }

    /**
     * Ids per second through offer, poll and ack. With {@code delayed}, every id is offered one minute
     * ahead of {@code clock}, which is then moved, so each id goes through the sorted set and the script.
     */
    private static double cycle(DeliveryQueue queue, int ids, int consumers, boolean delayed, SettableClock clock)
            throws Exception {
        AtomicLong acked = new AtomicLong();
        AtomicLong polls = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(consumers + 1);
        Function<Integer, String> idOf = i -> String.format("dlv_%026d", i);
        try (queue) {
            long start = System.nanoTime();
            List<Future<?>> tasks = new ArrayList<>();
            tasks.add(pool.submit(() -> {
                Instant due = delayed ? clock.instant().plusSeconds(60) : Instant.EPOCH;
                for (int from = 0; from < ids; from += BATCH) {
                    List<QueuedDelivery> batch = new ArrayList<>(BATCH);
                    for (int i = from; i < Math.min(ids, from + BATCH); i++) {
                        batch.add(new QueuedDelivery(idOf.apply(i), due));
                    }
                    queue.offer(batch);
                }
                if (delayed) {
                    clock.advance(Duration.ofSeconds(61));
                }
                return null;
            }));
            for (int c = 0; c < consumers; c++) {
                tasks.add(pool.submit(() -> {
                    while (acked.get() < ids) {
                        List<QueueEntry> taken = queue.poll(BATCH, Duration.ofMillis(50));
                        queue.ack(taken);
                        acked.addAndGet(taken.size());
                        polls.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
            double perSecond = ids / seconds(start);
            System.out.printf("  %s%s: %,.0f ids/s, %.0f ids per poll%n", queue.getClass().getSimpleName(),
                    delayed ? " (delayed)" : "", perSecond, (double) ids / polls.get());
            return perSecond;
        } finally {
            pool.shutdownNow();
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static String spread(double[] values, int factor) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format("%,.0f (%,.0f - %,.0f)", factor * median(values), factor * sorted[0],
                factor * sorted[sorted.length - 1]);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
