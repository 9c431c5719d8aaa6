package dev.herald.storage.jdbc.drill;

import static org.awaitility.Awaitility.await;

import dev.herald.engine.testing.drill.ChildJvm;
import dev.herald.engine.testing.drill.KillPoints;
import dev.herald.engine.testing.drill.LedgerReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kill -9 drill: starts a {@link DrillNode} in a {@link ChildJvm}, kills it with SIGKILL at random
 * points ({@link KillPoints}) while it publishes and delivers, restarts it on the same H2 file each time,
 * lets the last run drain, and compares the receiver's ledger with what the node reported as published.
 *
 * <p>Not thread-safe; one drill per instance.
 */
final class KillNineDrill {
    private static final Logger log = LoggerFactory.getLogger(KillNineDrill.class);

    /**
     * What to run.
     *
     * @param events    events to publish, at least 1
     * @param kills     SIGKILLs, at least 0
     * @param seed      seed of the kill points
     * @param drainWait how long a run may take to reach its kill point, and the last run to publish the rest
 *                  and deliver everything
     * @param classpath the child JVM's class path (must hold {@link DrillNode} and its dependencies)
     * @param workDir   an empty directory for the H2 file and the nodes' logs
     */
    record Settings(int events, int kills, long seed, Duration drainWait, String classpath, Path workDir) {
        Settings {
            if (events < 1) {
                throw new IllegalArgumentException("events must be at least 1, was " + events);
            }
            if (kills < 0) {
                throw new IllegalArgumentException("kills must be at least 0, was " + kills);
            }
            Objects.requireNonNull(drainWait, "drainWait");
            Objects.requireNonNull(classpath, "classpath");
            Objects.requireNonNull(workDir, "workDir");
        }
    }

    /**
     * What happened.
     *
     * @param published  events the node reported as published (acknowledged by the store)
     * @param lost       sequence numbers reported as published that never reached the receiver
     * @param duplicates accepted requests beyond the first per {@code webhook-id}
     * @param seqsStoredTwice sequence numbers that arrived under more than one {@code webhook-id}
     * @param requests   every request the receiver saw
     * @param kills      the kills done, one line each
     * @param duration   from the first start to the end of the drain
     */
    record Result(long published, List<Long> lost, long duplicates, long seqsStoredTwice, int requests,
                  List<String> kills, Duration duration) {
        String summary() {
            return "published=" + published + " lost=" + lost.size() + " duplicates=" + duplicates
                    + " seqsStoredTwice=" + seqsStoredTwice + " requests=" + requests + " kills=" + kills.size()
                    + " duration=" + duration.toMillis() + "ms";
        }
    }

    private final Settings settings;
    private final AtomicLong highestPublished = new AtomicLong(-1);
    private final AtomicBoolean done = new AtomicBoolean();

    KillNineDrill(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Runs the drill; the caller asserts on the result. */
    Result run() throws IOException, InterruptedException {
        Random random = new Random(settings.seed());
        long[] killAt = KillPoints.draw(random, settings.events(), settings.kills());
        log.info("kill -9 drill: events={} kills={} seed={} kill points={}", settings.events(), settings.kills(),
                settings.seed(), Arrays.toString(killAt));
        Path dataDir = Files.createDirectories(settings.workDir().resolve("data"));
        List<String> kills = new ArrayList<>();
        long started = System.nanoTime();
        try (LedgerReceiver receiver = LedgerReceiver.start()) {
            for (int run = 0; run < settings.kills(); run++) {
                ChildJvm node = startNode(run, dataDir, receiver.url());
                long threshold = killAt[run];
                await("run " + run + " publishing past " + threshold).atMost(settings.drainWait())
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> highestPublished.get() >= threshold || done.get() || !node.isAlive());
                if (!node.isAlive()) {
                    throw new IllegalStateException("node " + run + " exited by itself with " + node.exitValue()
                            + "; see " + settings.workDir());
                }
                long extraMillis = KillPoints.extraMillis(random);
                await().pollDelay(Duration.ofMillis(extraMillis)).atMost(Duration.ofSeconds(5)).until(() -> true);
                long before = highestPublished.get();
                node.kill();
                String line = "kill " + (run + 1) + ": pid " + node.pid() + " at published=" + (before + 1)
                        + " (point " + threshold + " + " + extraMillis + " ms), receiver had "
                        + receiver.distinctSeqs() + " events";
                log.info(line);
                kills.add(line);
            }
            ChildJvm last = startNode(settings.kills(), dataDir, receiver.url());
            try {
                await("all published events received").atMost(settings.drainWait()).pollInterval(Duration.ofMillis(50))
                        .until(() -> done.get() && receiver.distinctSeqs() >= settings.events());
            } catch (ConditionTimeoutException e) {
                log.error("drain did not finish within {}: {}", settings.drainWait(), e.getMessage());
            }
            last.stop(Duration.ofSeconds(30));
            long published = highestPublished.get() + 1;
            List<Long> lost = LongStream.range(0, published).filter(seq -> !receiver.hasSeq(seq)).boxed().toList();
            Result result = new Result(published, lost, receiver.duplicates(), receiver.seqsWithSeveralWebhookIds(),
                    receiver.calls(), kills, Duration.ofNanos(System.nanoTime() - started));
            log.info("kill -9 drill: {}", result.summary());
            return result;
        }
    }

    private ChildJvm startNode(int run, Path dataDir, String url) throws IOException {
        long from = highestPublished.get() + 1;
        ChildJvm node = ChildJvm.builder("node-" + run, DrillNode.class.getName())
                .classpath(settings.classpath())
                .jvmOptions("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
                .systemProperty("logback.configurationFile", "logback-jdbc-test.xml")
                .args(dataDir.toString(), url, Long.toString(from), Long.toString(settings.events()))
                .logDir(settings.workDir())
                .onLine(this::protocol)
                .start();
        log.info("node {} started: pid {}, publishing from {}", run, node.pid(), from);
        return node;
    }

    /** The node's protocol lines move the ledger; the rest goes to its log file. */
    private boolean protocol(String line) {
        if (line.startsWith(DrillNode.PUBLISHED)) {
            long seq = Long.parseLong(line.substring(DrillNode.PUBLISHED.length()).trim());
            highestPublished.accumulateAndGet(seq, Math::max);
            return true;
        }
        if (line.equals(DrillNode.DONE)) {
            done.set(true);
            return true;
        }
        return false;
    }
}
