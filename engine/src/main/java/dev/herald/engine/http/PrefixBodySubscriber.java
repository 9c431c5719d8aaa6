package dev.herald.engine.http;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Keeps the first bytes of a response body as UTF-8 text and throws the rest away as it arrives, so a
 * receiver answering with megabytes costs no memory. It reads on past the prefix up to a drain limit,
 * which lets the HTTP/1.1 connection be reused for the next webhook; past that limit it cancels, and the
 * client closes the connection rather than download the rest.
 *
 * <p>Signals arrive one at a time (reactive-streams rule), so the fields need no locking.
 */
final class PrefixBodySubscriber implements HttpResponse.BodySubscriber<String> {

    private final byte[] prefix;
    private final long drainLimit;
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private int length;
    private long received;

    PrefixBodySubscriber(int maxBytes, long drainLimit) {
        if (maxBytes < 0 || drainLimit < maxBytes) {
            throw new IllegalArgumentException("need 0 <= maxBytes <= drainLimit, was " + maxBytes + ", " + drainLimit);
        }
        this.prefix = new byte[maxBytes];
        this.drainLimit = drainLimit;
    }

    @Override
    public CompletionStage<String> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        if (this.subscription != null) {
            subscription.cancel();
            return;
        }
        this.subscription = subscription;
        // Unbounded demand is safe: nothing past the prefix is kept.
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            int available = buffer.remaining();
            int take = Math.min(available, prefix.length - length);
            if (take > 0) {
                buffer.get(prefix, length, take);
                length += take;
            }
            received += available;
        }
        if (received > drainLimit) {
            subscription.cancel();
            body.complete(text());
        }
    }

    @Override
    public void onError(Throwable error) {
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(text());
    }

    private String text() {
        return decode(prefix, length, received > length);
    }

    /**
     * The first {@code length} bytes as UTF-8. When the body was cut, a character split by the cut is
     * dropped rather than shown as a replacement character; other malformed bytes are replaced.
     */
    static String decode(byte[] bytes, int length, boolean truncated) {
        int end = truncated ? completeUtf8Length(bytes, length) : length;
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    private static int completeUtf8Length(byte[] bytes, int length) {
        // Walk back over at most three continuation bytes (10xxxxxx) to the lead byte of the last character.
        int lead = length - 1;
        while (lead >= 0 && lead >= length - 4 && (bytes[lead] & 0xc0) == 0x80) {
            lead--;
        }
        if (lead < 0 || lead < length - 4) {
            return length;
        }
        int b = bytes[lead] & 0xff;
        int needed = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
        return lead + needed > length ? lead : length;
    }
}
