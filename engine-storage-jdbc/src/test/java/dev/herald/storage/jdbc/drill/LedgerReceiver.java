package dev.herald.storage.jdbc.drill;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A webhook receiver on 127.0.0.1 that keeps a ledger: how often each {@code webhook-id} and each event
 * sequence number (the {@code seq} field of the event data) was accepted. Answers 200, or whatever
 * {@link #answer(int)} set, and only counts a request as received when it answered 2xx. Thread-safe.
 */
final class LedgerReceiver implements AutoCloseable {
    private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final Map<String, AtomicInteger> byWebhookId = new ConcurrentHashMap<>();
    private final Map<Long, Set<String>> webhookIdsBySeq = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refusedByWebhookId = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile int status = 200;

    private LedgerReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            calls.incrementAndGet();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String webhookId = exchange.getRequestHeaders().getFirst("webhook-id");
            int answer = status;
            if (webhookId != null) {
                if (answer / 100 == 2) {
                    accepted.incrementAndGet();
                    byWebhookId.computeIfAbsent(webhookId, k -> new AtomicInteger()).incrementAndGet();
                    Matcher seq = SEQ.matcher(new String(body, StandardCharsets.UTF_8));
                    if (seq.find()) {
                        webhookIdsBySeq.computeIfAbsent(Long.parseLong(seq.group(1)), k -> ConcurrentHashMap.newKeySet())
                                .add(webhookId);
                    }
                } else {
                    refusedByWebhookId.computeIfAbsent(webhookId, k -> new AtomicInteger()).incrementAndGet();
                }
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
    }

    static LedgerReceiver start() {
        try {
            return new LedgerReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Answers every following request with {@code value}; only 2xx answers count as received. */
    void answer(int value) {
        this.status = value;
    }

    /** Every request, whatever the answer. */
    int calls() {
        return calls.get();
    }

    /** Requests answered 2xx. */
    int accepted() {
        return accepted.get();
    }

    /** Distinct {@code webhook-id}s answered 2xx. */
    int distinctWebhookIds() {
        return byWebhookId.size();
    }

    /** Distinct {@code webhook-id}s refused (answered other than 2xx) at least once. */
    int distinctRefused() {
        return refusedByWebhookId.size();
    }

    /** Requests refused, over all {@code webhook-id}s. */
    int refused() {
        return refusedByWebhookId.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Whether an event with this sequence number was accepted at least once. */
    boolean hasSeq(long seq) {
        return webhookIdsBySeq.containsKey(seq);
    }

    /** Distinct sequence numbers accepted. */
    int distinctSeqs() {
        return webhookIdsBySeq.size();
    }

    /** Accepted requests beyond the first per {@code webhook-id}: the at-least-once duplicates. */
    long duplicates() {
        return byWebhookId.values().stream().mapToLong(c -> c.get() - 1L).sum();
    }

    /** Sequence numbers that arrived under more than one {@code webhook-id}: the same event stored twice. */
    long seqsWithSeveralWebhookIds() {
        return webhookIdsBySeq.values().stream().filter(ids -> ids.size() > 1).count();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
