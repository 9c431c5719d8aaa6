package dev.herald.engine.testing.drill;

import com.sun.net.httpserver.HttpServer;
import dev.herald.engine.signing.WebhookVerificationException;
import dev.herald.engine.signing.WebhookVerifier;
import java.io.IOException;
import java.io.InputStream;
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
 * A webhook receiver on 127.0.0.1 for the fault drills that keeps a ledger: how often each
 * {@code webhook-id} was accepted, and under which {@code webhook-id}s each event (the envelope's
 * {@code id}) and each event sequence number (the {@code seq} field of the event data) arrived.
 *
 * <p>Answers 200, or whatever {@link #answer(int)} set, and only counts a request as received when it
 * answered 2xx. With a {@link #verifyWith(WebhookVerifier) verifier}, a request whose signature does not
 * verify is answered 400 and counted in {@link #badSignatures()}, never as received. Thread-safe.
 */
public final class LedgerReceiver implements AutoCloseable {
    private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");
    // The envelope is {"id","type","timestamp","data"}: its first "id" is the event's.
    private static final Pattern EVENT_ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final Map<String, AtomicInteger> byWebhookId = new ConcurrentHashMap<>();
    private final Map<Long, Set<String>> webhookIdsBySeq = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> webhookIdsByEventId = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refusedByWebhookId = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private volatile int status = 200;
    private volatile WebhookVerifier verifier;

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
            WebhookVerifier check = verifier;
            if (check != null) {
                try {
                    check.verify(exchange.getRequestHeaders(), body);
                } catch (WebhookVerificationException e) {
                    badSignatures.incrementAndGet();
                    answer = 400;
                }
            }
            if (webhookId != null) {
                if (answer / 100 == 2) {
                    record(webhookId, new String(body, StandardCharsets.UTF_8));
                } else {
                    refusedByWebhookId.computeIfAbsent(webhookId, k -> new AtomicInteger()).incrementAndGet();
                }
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
    }

    private void record(String webhookId, String body) {
        accepted.incrementAndGet();
        byWebhookId.computeIfAbsent(webhookId, k -> new AtomicInteger()).incrementAndGet();
        Matcher seq = SEQ.matcher(body);
        if (seq.find()) {
            webhookIdsBySeq.computeIfAbsent(Long.parseLong(seq.group(1)), k -> ConcurrentHashMap.newKeySet())
                    .add(webhookId);
        }
        Matcher eventId = EVENT_ID.matcher(body);
        if (eventId.find()) {
            webhookIdsByEventId.computeIfAbsent(eventId.group(1), k -> ConcurrentHashMap.newKeySet()).add(webhookId);
        }
    }

    /** A started receiver answering 200 and checking no signature. */
    public static LedgerReceiver start() {
        try {
            return new LedgerReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL to register. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Answers every following request with {@code value}; only 2xx answers count as received. */
    public void answer(int value) {
        this.status = value;
    }

    /** Checks the signature of every following request; one that does not verify is answered 400. */
    public void verifyWith(WebhookVerifier value) {
        this.verifier = value;
    }

    /** Every request, whatever the answer. */
    public int calls() {
        return calls.get();
    }

    /** Requests answered 2xx. */
    public int accepted() {
        return accepted.get();
    }

    /** Requests whose signature did not verify (answered 400). */
    public int badSignatures() {
        return badSignatures.get();
    }

    /** Distinct {@code webhook-id}s answered 2xx. */
    public int distinctWebhookIds() {
        return byWebhookId.size();
    }

    /** Whether a request with this {@code webhook-id} was answered 2xx. */
    public boolean hasWebhookId(String webhookId) {
        return byWebhookId.containsKey(webhookId);
    }

    /** Distinct {@code webhook-id}s refused (answered other than 2xx) at least once. */
    public int distinctRefused() {
        return refusedByWebhookId.size();
    }

    /** Requests refused, over all {@code webhook-id}s. */
    public int refused() {
        return refusedByWebhookId.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Whether an event with this sequence number was accepted at least once. */
    public boolean hasSeq(long seq) {
        return webhookIdsBySeq.containsKey(seq);
    }

    /** Distinct sequence numbers accepted. */
    public int distinctSeqs() {
        return webhookIdsBySeq.size();
    }

    /** Whether a delivery of the event with this id (the envelope's {@code id}) was accepted. */
    public boolean hasEvent(String eventId) {
        return webhookIdsByEventId.containsKey(eventId);
    }

    /** Accepted requests beyond the first per {@code webhook-id}: the at-least-once duplicates. */
    public long duplicates() {
        return byWebhookId.values().stream().mapToLong(c -> c.get() - 1L).sum();
    }

    /** Sequence numbers that arrived under more than one {@code webhook-id}: the same event stored twice. */
    public long seqsWithSeveralWebhookIds() {
        return webhookIdsBySeq.values().stream().filter(ids -> ids.size() > 1).count();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
