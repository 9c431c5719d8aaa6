package dev.herald.demo.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes events {@code 0 .. events-1} through {@code POST /v1/events} from a few threads, each with the
 * idempotency key {@code seq-n} and the data {@code {"seq":n}}, until every one was answered 2xx: only an
 * answered publish counts. A request that fails (the server was killed under it, or is starting) is sent
 * again, with the same key, to the server that is up next; the key makes a publish that was stored before
 * the kill come back as a duplicate of the stored event instead of a second event.
 *
 * <p>The drill tells it which server is up ({@link #up(URI)}) and when it is gone ({@link #down()}); a
 * failed request waits for that, or 100 ms, before it tries again. Every wait is bounded by the deadline.
 * Thread-safe.
 */
final class Publishers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Publishers.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RETRY_WAIT = Duration.ofMillis(100);

    /** What the API answered for one sequence number. */
    record Published(String eventId, List<String> deliveryIds, boolean duplicate) {
    }

    /** One running server: its base URI, and a signal completed when the drill killed it. */
    private record Server(URI base, CompletableFuture<Void> gone) {
    }

    private final int events;
    private final String apiKey;
    private final long deadlineNanos;
    private final HttpClient http;
    private final ExecutorService threads;
    private final AtomicLong nextSeq = new AtomicLong();
    private final AtomicLong publishedCount = new AtomicLong();
    private final AtomicLong failedRequests = new AtomicLong();
    private final Map<Long, Published> published = new ConcurrentHashMap<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<Server> server = new CompletableFuture<>();

    Publishers(int events, int threads, String apiKey, long deadlineNanos) {
        this.events = events;
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.deadlineNanos = deadlineNanos;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.threads = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "drill-publisher");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < threads; i++) {
            this.threads.execute(this::publishAll);
        }
    }

    /** The server at {@code base} takes requests now. */
    void up(URI base) {
        server.complete(new Server(base, new CompletableFuture<>()));
    }

    /** The running server is about to be killed: requests wait for the next one. */
    void down() {
        CompletableFuture<Server> current = server;
        server = new CompletableFuture<>();
        // Set the new future first: a publisher woken by the signal must find it, not the dead server.
        current.thenAccept(s -> s.gone().complete(null));
    }

    /** Events answered 2xx so far. */
    long publishedCount() {
        return publishedCount.get();
    }

    boolean done() {
        return publishedCount.get() >= events;
    }

    /** What the API answered, by sequence number; only answered publishes. */
    Map<Long, Published> published() {
        return Map.copyOf(published);
    }

    /** Requests that failed or were answered 5xx and were sent again. */
    long failedRequests() {
        return failedRequests.get();
    }

    /** Answers that no retry can fix (4xx, unreadable): each one a drill or API bug. */
    List<String> errors() {
        return List.copyOf(errors);
    }

    /** Whether a publisher gave up; {@link #errors()} says why. */
    boolean failed() {
        return !errors.isEmpty();
    }

    /** Sequence numbers never answered 2xx. */
    List<Long> unpublished() {
        return LongStream.range(0, events).filter(seq -> !published.containsKey(seq)).boxed().toList();
    }

    private void publishAll() {
        long seq;
        while ((seq = nextSeq.getAndIncrement()) < events && !Thread.currentThread().isInterrupted()) {
            try {
                publish(seq);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (TimeoutException e) {
                errors.add("seq " + seq + ": not published before the deadline");
                return;
            } catch (RuntimeException e) {
                errors.add("seq " + seq + ": " + e);
                log.error("publisher stopped at seq {}", seq, e);
                return;
            }
        }
    }

    private void publish(long seq) throws InterruptedException, TimeoutException {
        String body = "{\"type\":\"document.completed\",\"data\":{\"seq\":" + seq + "}}";
        while (true) {
            Server target = waitFor(server);
            HttpRequest request = HttpRequest.newBuilder(target.base().resolve("/v1/events"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + apiKey)
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", "seq-" + seq)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                retryLater(target);
                continue;
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                record(seq, response.body());
                return;
            }
            if (status / 100 == 5) {
                retryLater(target);
                continue;
            }
            throw new IllegalStateException("answered " + status + ": " + response.body());
        }
    }

    private void record(long seq, String answer) {
        JsonNode json;
        try {
            json = JSON.readTree(answer);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable answer " + answer, e);
        }
        List<String> deliveryIds = new ArrayList<>();
        json.path("deliveryIds").forEach(id -> deliveryIds.add(id.asText()));
        String eventId = json.path("eventId").asText(null);
        if (eventId == null) {
            throw new IllegalStateException("answer without eventId: " + answer);
        }
        published.put(seq, new Published(eventId, List.copyOf(deliveryIds), json.path("duplicate").asBoolean()));
        publishedCount.incrementAndGet();
    }

    /** Waits until the server is replaced, or a little while when it is still the same one. */
    private void retryLater(Server target) throws InterruptedException, TimeoutException {
        failedRequests.incrementAndGet();
        try {
            target.gone().get(Math.min(RETRY_WAIT.toNanos(), remainingNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (remainingNanos() <= 0) {
                throw e;
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T waitFor(CompletableFuture<T> future) throws InterruptedException, TimeoutException {
        try {
            return future.get(Math.max(0, remainingNanos()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
