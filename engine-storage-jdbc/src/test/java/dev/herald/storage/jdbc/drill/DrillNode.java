package dev.herald.storage.jdbc.drill;

import dev.herald.engine.EndpointRequest;
import dev.herald.engine.EventRequest;
import dev.herald.engine.Herald;
import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.memory.InProcessDeliveryQueue;
import dev.herald.engine.retry.RetryPolicy;
import dev.herald.storage.jdbc.JdbcDeliveryStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The process the kill -9 drill kills: an embedded Herald (H2 file + in-process queue) that publishes
 * events {@code from} (inclusive) to {@code to} (exclusive) and delivers them to one endpoint.
 *
 * <p>Arguments: data directory, receiver URL, from, to. Each event's data is {@code {"seq":n}} and its
 * idempotency key {@code seq-n}, so an event published again after a kill is stored once. After each
 * publish returns (the store holds the event and its delivery) it prints {@code PUBLISHED n}; after the
 * last, {@code DONE}. It keeps delivering until its standard input ends, then closes cleanly; the input
 * is watched from the start, so a node also stops publishing and exits when the drill that started it dies.
 */
public final class DrillNode {
    static final String TENANT = "drill";
    static final String TYPE = "drill.tick";
    static final String PUBLISHED = "PUBLISHED ";
    static final String DONE = "DONE";

    private DrillNode() {
    }

    /** Runs the node; see the class comment for the arguments. */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: DrillNode <dataDir> <receiverUrl> <from> <to>");
        }
        Path dataDir = Path.of(args[0]);
        String url = args[1];
        long from = Long.parseLong(args[2]);
        long to = Long.parseLong(args[3]);
        PrintStream out = System.out;

        JdbcDeliveryStore store = JdbcDeliveryStore.h2File(dataDir);
        Herald herald = Herald.builder()
                .store(store)
                .queue(InProcessDeliveryQueue.create())
                .urlPolicy(UrlPolicy.permissive())
                .retryPolicy(RetryPolicy.builder().delays(Duration.ofMillis(100), Duration.ofMillis(200),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
                        Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5))
                        .build())
                // Short lease, so a restarted node takes over what the killed one had in flight quickly.
                .requestTimeout(Duration.ofSeconds(1))
                .lease(Duration.ofSeconds(2))
                .sweepInterval(Duration.ofMillis(200))
                .shutdownTimeout(Duration.ofSeconds(2))
                .build();
        // The endpoint is created by the first run; a run killed before it lands creates it next time.
        if (herald.endpoints(TENANT, null, 10).items().isEmpty()) {
            herald.createEndpoint(TENANT, EndpointRequest.of(url));
        }
        herald.start();

        CountDownLatch inputEnded = new CountDownLatch(1);
        Thread watcher = new Thread(() -> drain(System.in, inputEnded), "drill-node-stdin");
        watcher.setDaemon(true);
        watcher.start();

        for (long seq = from; seq < to && inputEnded.getCount() > 0; seq++) {
            herald.publish(EventRequest.of(TENANT, TYPE, "{\"seq\":" + seq + "}").withIdempotencyKey("seq-" + seq));
            out.println(PUBLISHED + seq);
        }
        out.println(DONE);
        out.flush();

        inputEnded.await();
        herald.close();
        store.close();
    }

    /** Reads until the drill closes the pipe (or dies), so a node never outlives its drill. */
    private static void drain(InputStream in, CountDownLatch ended) {
        try (in) {
            while (in.read() >= 0) {
                // Nothing is sent; the end of the stream is the signal.
            }
        } catch (IOException e) {
            // A broken pipe ends the input as well.
        } finally {
            ended.countDown();
        }
    }
}
