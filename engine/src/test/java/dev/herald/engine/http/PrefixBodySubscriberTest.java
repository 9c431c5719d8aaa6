package dev.herald.engine.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrefixBodySubscriberTest {

    private final RecordingSubscription subscription = new RecordingSubscription();

    @Test
    void shortBodyIsKeptWhole() {
        PrefixBodySubscriber subscriber = subscribed(1024, 4096);

        subscriber.onNext(List.of(buffer("{\"ok\":"), buffer("true}")));
        subscriber.onComplete();

        assertThat(body(subscriber)).isEqualTo("{\"ok\":true}");
        assertThat(subscription.requested).isEqualTo(Long.MAX_VALUE);
        assertThat(subscription.cancelled).isFalse();
    }

    @Test
    void longBodyIsCutAndTheRestDrained() {
        PrefixBodySubscriber subscriber = subscribed(8, 4096);

        subscriber.onNext(List.of(buffer("abcde")));
        subscriber.onNext(List.of(buffer("fghij"), buffer("klmno")));
        subscriber.onComplete();

        assertThat(body(subscriber)).isEqualTo("abcdefgh");
        assertThat(subscription.cancelled).isFalse();
    }

    @Test
    void bodyPastTheDrainLimitIsCancelledAndCompletesAtOnce() {
        PrefixBodySubscriber subscriber = subscribed(4, 10);

        subscriber.onNext(List.of(buffer("0123456789")));
        assertThat(subscriber.getBody().toCompletableFuture()).isNotDone();
        subscriber.onNext(List.of(buffer("x")));

        assertThat(subscription.cancelled).isTrue();
        assertThat(body(subscriber)).isEqualTo("0123");
    }

    @Test
    void errorFailsTheBody() {
        PrefixBodySubscriber subscriber = subscribed(4, 10);

        subscriber.onError(new IOException("reset"));

        assertThat(subscriber.getBody().toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void secondSubscriptionIsCancelled() {
        PrefixBodySubscriber subscriber = subscribed(4, 10);
        RecordingSubscription second = new RecordingSubscription();

        subscriber.onSubscribe(second);

        assertThat(second.cancelled).isTrue();
        assertThat(second.requested).isZero();
    }

    @Test
    void characterSplitByTheCutIsDropped() {
        PrefixBodySubscriber subscriber = subscribed(1024, 4096);

        subscriber.onNext(List.of(buffer("a".repeat(1023) + "\u00e9 and more")));
        subscriber.onComplete();

        assertThat(body(subscriber)).isEqualTo("a".repeat(1023));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // text | bytes kept | truncated | expected
            "caf\u00e9       | 5 | false | caf\u00e9",
            "caf\u00e9       | 4 | true  | caf",
            "caf\u00e9       | 4 | false | caf\ufffd",
            "a\u20ac         | 1 | true  | a",
            "a\u20ac         | 2 | true  | a",
            "a\u20ac         | 3 | true  | a",
            "a\u20ac         | 4 | true  | a\u20ac",
            "a\ud83d\ude00   | 4 | true  | a",
            "a\ud83d\ude00   | 5 | true  | a\ud83d\ude00",
            "plain           | 3 | true  | pla",
    })
    void decodesUtf8Prefixes(String text, int kept, boolean truncated, String expected) {
        byte[] bytes = text.getBytes(UTF_8);

        assertThat(PrefixBodySubscriber.decode(bytes, kept, truncated)).isEqualTo(expected);
    }

    @Test
    void malformedRunOfContinuationBytesIsNotTrimmed() {
        byte[] bytes = {'a', (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80};

        assertThat(PrefixBodySubscriber.decode(bytes, 5, true)).startsWith("a").hasSize(5);
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new PrefixBodySubscriber(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PrefixBodySubscriber(11, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    private PrefixBodySubscriber subscribed(int max, long drainLimit) {
        PrefixBodySubscriber subscriber = new PrefixBodySubscriber(max, drainLimit);
        subscriber.onSubscribe(subscription);
        return subscriber;
    }

    private static String body(PrefixBodySubscriber subscriber) {
        CompletableFuture<String> body = subscriber.getBody().toCompletableFuture();
        assertThat(body).isDone();
        return body.join();
    }

    private static ByteBuffer buffer(String text) {
        return ByteBuffer.wrap(text.getBytes(UTF_8));
    }

    private static final class RecordingSubscription implements Flow.Subscription {
        long requested;
        boolean cancelled;

        @Override
        public void request(long n) {
            requested += n;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
