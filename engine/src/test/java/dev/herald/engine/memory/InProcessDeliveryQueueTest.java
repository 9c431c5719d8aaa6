package dev.herald.engine.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.engine.spi.DeliveryQueue;
import dev.herald.engine.spi.DeliveryQueueContract;
import dev.herald.engine.spi.QueueEntry;
import dev.herald.engine.spi.QueuedDelivery;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InProcessDeliveryQueueTest extends DeliveryQueueContract {

    @Override
    protected DeliveryQueue newQueue(Clock clock) {
        return InProcessDeliveryQueue.builder().clock(clock).build();
    }

    @Test
    void offersBeyondTheCapacityAreDroppedAndCounted() throws InterruptedException {
        InProcessDeliveryQueue small = InProcessDeliveryQueue.builder().clock(clock).capacity(3).build();
        List<QueuedDelivery> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(new QueuedDelivery(newId(), clock.instant()));
        }

        small.offer(five);

        assertThat(small.size()).isEqualTo(3);
        assertThat(small.dropped()).isEqualTo(2);
        List<QueueEntry> taken = small.poll(10, Duration.ZERO);
        assertThat(taken).extracting(QueueEntry::deliveryId)
                .containsExactly(five.get(0).deliveryId(), five.get(1).deliveryId(), five.get(2).deliveryId());
        small.offer(List.of(five.get(3)));
        assertThat(small.size()).as("room again once polled").isEqualTo(1);
        assertThat(small.dropped()).isEqualTo(2);
    }

    @Test
    void entriesComeOutInDueOrderThenArrivalOrder() throws InterruptedException {
        String late = newId();
        String early = newId();
        String sameAsEarly = newId();
        queue.offer(List.of(
                new QueuedDelivery(late, clock.instant().minusSeconds(1)),
                new QueuedDelivery(early, clock.instant().minusSeconds(5)),
                new QueuedDelivery(sameAsEarly, clock.instant().minusSeconds(5))));

        assertThat(queue.poll(10, Duration.ZERO)).extracting(QueueEntry::deliveryId)
                .containsExactly(early, sameAsEarly, late);
    }

    @Test
    void aZeroWaitReturnsAtOnce() throws InterruptedException {
        queue.offer(List.of(new QueuedDelivery(newId(), clock.instant().plusSeconds(1))));
        long start = System.nanoTime();
        assertThat(queue.poll(10, Duration.ZERO)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aWaitingPollerSeesTheClockMoveWithoutAnOffer() throws InterruptedException {
        String id = newId();
        queue.offer(List.of(new QueuedDelivery(id, clock.instant().plusSeconds(30))));
        clock.advance(Duration.ofSeconds(30));
        // Nothing signals the poller: it must re-read the clock by itself, well within the wait.
        long start = System.nanoTime();
        assertThat(queue.poll(10, Duration.ofSeconds(20))).extracting(QueueEntry::deliveryId).containsExactly(id);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void offersAfterCloseAreIgnored() throws InterruptedException {
        queue.close();
        queue.offer(List.of(new QueuedDelivery(newId(), clock.instant())));
        assertThat(queue.size()).isZero();
        assertThat(queue.poll(10, Duration.ZERO)).isEmpty();
    }

    @Test
    void builderRefusesBadArguments() {
        assertThatThrownBy(() -> InProcessDeliveryQueue.builder().capacity(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
        assertThatThrownBy(() -> InProcessDeliveryQueue.builder().clock(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("clock");
        assertThat(InProcessDeliveryQueue.create().capacity()).isEqualTo(InProcessDeliveryQueue.DEFAULT_CAPACITY);
    }
}
