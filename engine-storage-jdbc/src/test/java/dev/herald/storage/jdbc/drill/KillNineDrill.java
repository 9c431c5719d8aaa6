package dev.herald.storage.jdbc.drill;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kill -9 drill: starts a {@link DrillNode} in a child JVM, kills it with
 * {@link Process#destroyForcibly()} (SIGKILL on Linux) at random points while it publishes and delivers,
 * restarts it on the same H2 file each time, lets the last run drain, and compares the receiver's ledger
 * with what the node reported as published.
 *
 * <p>Kill points come from a seeded {@link Random}: for each kill, a number of published events drawn
 * from [5 %, 95 %] of the total, plus 0 to 200 ms. Not thread-safe; one drill per instance.
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
        long[] killAt = LongStream.generate(() -> Math.round(settings.events() * (0.05 + 0.9 * random.nextDouble())))
                .limit(settings.kills()).sorted().toArray();
        log.info("kill -9 drill: events={} kills={} seed={} kill points={}", settings.events(), settings.kills(),
                settings.seed(), java.util.Arrays.toString(killAt));
        Path dataDir = Files.createDirectories(settings.workDir().resolve("data"));
        List<String> kills = new ArrayList<>();
        long started = System.nanoTime();
        try (LedgerReceiver receiver = LedgerReceiver.start()) {
            for (int run = 0; run < settings.kills(); run++) {
                Process node = startNode(run, dataDir, receiver.url());
                long threshold = killAt[run];
                await("run " + run + " publishing past " + threshold).atMost(settings.drainWait())
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> highestPublished.get() >= threshold || done.get() || !node.isAlive());
                if (!node.isAlive()) {
                    throw new IllegalStateException("node " + run + " exited by itself with " + node.exitValue()
                            + "; see " + settings.workDir());
                }
                long extraMillis = random.nextInt(201);
                await().pollDelay(Duration.ofMillis(extraMillis)).atMost(Duration.ofSeconds(5)).until(() -> true);
                long before = highestPublished.get();
                node.destroyForcibly();
                node.waitFor(30, TimeUnit.SECONDS);
                String line = "kill " + (run + 1) + ": pid " + node.pid() + " at published=" + (before + 1)
                        + " (point " + threshold + " + " + extraMillis + " ms), receiver had "
                        + receiver.distinctSeqs() + " events";
                log.info(line);
                kills.add(line);
            }
            Process last = startNode(settings.kills(), dataDir, receiver.url());
            try {
                await("all published events received").atMost(settings.drainWait()).pollInterval(Duration.ofMillis(50))
                        .until(() -> done.get() && receiver.distinctSeqs() >= settings.events());
            } catch (ConditionTimeoutException e) {
                log.error("drain did not finish within {}: {}", settings.drainWait(), e.getMessage());
            }
            stop(last);
            long published = highestPublished.get() + 1;
            List<Long> lost = LongStream.range(0, published).filter(seq -> !receiver.hasSeq(seq)).boxed().toList();
            Result result = new Result(published, lost, receiver.duplicates(), receiver.seqsWithSeveralWebhookIds(),
                    receiver.calls(), kills, Duration.ofNanos(System.nanoTime() - started));
            log.info("kill -9 drill: {}", result.summary());
            return result;
        }
    }

    private Process startNode(int run, Path dataDir, String url) throws IOException {
        long from = highestPublished.get() + 1;
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=logback-jdbc-test.xml",
                "-cp", settings.classpath(), DrillNode.class.getName(),
                dataDir.toString(), url, Long.toString(from), Long.toString(settings.events()));
        Path err = settings.workDir().resolve("node-" + run + ".err.log");
        Process node = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(err.toFile()))
                .start();
        log.info("node {} started: pid {}, publishing from {}", run, node.pid(), from);
        Path out = settings.workDir().resolve("node-" + run + ".out.log");
        Thread reader = new Thread(() -> follow(node, out), "drill-node-" + run);
        reader.setDaemon(true);
        reader.start();
        return node;
    }

    /** Reads the node's standard output: the protocol lines move the ledger, the rest goes to a log file. */
    private void follow(Process node, Path logFile) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter logOut = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(DrillNode.PUBLISHED)) {
                    long seq = Long.parseLong(line.substring(DrillNode.PUBLISHED.length()).trim());
                    highestPublished.accumulateAndGet(seq, Math::max);
                } else if (line.equals(DrillNode.DONE)) {
                    done.set(true);
                } else {
                    logOut.println(line);
                }
            }
        } catch (IOException e) {
            // The pipe breaks when the node is killed; what was read so far stands.
            log.debug("node output ended: {}", e.toString());
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("unreadable node output", e));
        }
    }

    private static void stop(Process node) throws InterruptedException {
        try {
            node.getOutputStream().close();
        } catch (IOException e) {
            log.debug("node input already closed: {}", e.toString());
        }
        if (!node.waitFor(30, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            node.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
