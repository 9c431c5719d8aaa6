package dev.herald.engine.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.engine.delivery.EndpointGuards.Admission;
import dev.herald.engine.delivery.EndpointGuards.Handoff;
import dev.herald.engine.delivery.EndpointGuards.Waiter;
import dev.herald.engine.model.Endpoint;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The per-endpoint line and busy delays, driven by hand: no threads, no clock. */
class EndpointGuardsTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    /** nextDouble() gives 0.5, so the jitter is none. */
    private static final RandomGenerator NO_JITTER = () -> Long.MIN_VALUE;
    private static final RandomGenerator LOWEST = () -> 0L;
    private static final RandomGenerator HIGHEST = () -> -1L;

    private final Endpoint endpoint = new Endpoint("ep_1", "acme", URI.create("https://receiver.example/"), List.of(),
            Set.of(), true, "", Map.of(), 2, 0, false, NOW, NOW);
    private final EndpointGuards guards = new EndpointGuards(32, 3, Duration.ofSeconds(30), NO_JITTER);

    private Waiter waiter() {
        return waiter(NOW.plusSeconds(60));
    }

    private Waiter waiter(Instant sendBy) {
        return new Waiter(null, null, endpoint, sendBy);
    }

    private EndpointGuards.Guard admitted(Waiter w) {
        Admission a = guards.admit(w);
        assertThat(a).isInstanceOf(Admission.Admitted.class);
        return ((Admission.Admitted) a).guard();
    }

    @ParameterizedTest
    @CsvSource({"1, 200", "2, 400", "3, 800", "4, 1600", "5, 3200", "6, 3200", "1000, 3200"})
    void busyDelayDoublesUpToSixteenTimesTheFirst(int refusals, long millis) {
        assertThat(EndpointGuards.busyDelay(refusals, NO_JITTER)).isEqualTo(Duration.ofMillis(millis));
        assertThat(EndpointGuards.busyDelay(refusals, LOWEST)).isEqualTo(Duration.ofMillis(millis * 8 / 10));
        assertThat(EndpointGuards.busyDelay(refusals, HIGHEST).toMillis()).isBetween(millis * 12 / 10 - 1,
                millis * 12 / 10);
    }

    @Test
    void aFullBulkheadLinesUpAsManyAsItHoldsThenDefersLongerEachTime() {
        EndpointGuards.Guard guard = admitted(waiter());
        admitted(waiter());

        assertThat(guards.admit(waiter())).isInstanceOf(Admission.Waiting.class);
        assertThat(guards.admit(waiter())).isInstanceOf(Admission.Waiting.class);
        assertThat(guards.admit(waiter())).isEqualTo(new Admission.Deferred(Duration.ofMillis(200), "endpoint busy"));
        assertThat(guards.admit(waiter())).isEqualTo(new Admission.Deferred(Duration.ofMillis(400), "endpoint busy"));

        // A request ends: its permit goes to the first waiter, and the busy delays start over.
        List<Handoff> handoffs = guard.succeeded(NOW);
        assertThat(handoffs).hasSize(1);
        assertThat(handoffs.get(0).admission()).isInstanceOf(Admission.Admitted.class);
        assertThat(guards.admit(waiter())).isInstanceOf(Admission.Waiting.class);
        assertThat(guards.admit(waiter())).isEqualTo(new Admission.Deferred(Duration.ofMillis(200), "endpoint busy"));
    }

    @Test
    void waitersGoInTheOrderTheyCame() {
        EndpointGuards.Guard guard = admitted(waiter());
        admitted(waiter());
        Waiter first = waiter();
        Waiter second = waiter();
        guards.admit(first);
        guards.admit(second);

        assertThat(guard.succeeded(NOW)).extracting(Handoff::waiter).containsExactly(first);
        assertThat(guard.failed(NOW)).extracting(Handoff::waiter).containsExactly(second);
        assertThat(guard.succeeded(NOW)).isEmpty();
    }

    @Test
    void aWaiterWhoseLeaseRunsShortGoesBackToTheStoreAndThePermitToTheNext() {
        EndpointGuards.Guard guard = admitted(waiter());
        admitted(waiter());
        Waiter late = waiter(NOW.minusMillis(1));
        Waiter onTime = waiter();
        guards.admit(late);
        guards.admit(onTime);

        List<Handoff> handoffs = guard.succeeded(NOW);

        assertThat(handoffs).extracting(Handoff::waiter).containsExactly(late, onTime);
        assertThat(handoffs.get(0).admission()).isEqualTo(new Admission.Deferred(EndpointGuards.BUSY_RETRY,
                "endpoint busy"));
        assertThat(handoffs.get(1).admission()).isInstanceOf(Admission.Admitted.class);
    }

    @Test
    void whenTheCircuitOpensTheWaitersGoBackToTheStoreForTheCircuitDelay() {
        EndpointGuards.Guard guard = admitted(waiter());
        admitted(waiter());
        guards.admit(waiter());
        guards.admit(waiter());
        guard.failed(NOW);
        guard.failed(NOW);
        Waiter last = waiter();
        assertThat(guards.admit(last)).isInstanceOf(Admission.Waiting.class);

        // The third failure in a row opens the circuit: the waiter cannot go now.
        List<Handoff> handoffs = guard.failed(NOW);

        assertThat(handoffs).extracting(Handoff::waiter).containsExactly(last);
        assertThat(handoffs.get(0).admission()).isInstanceOfSatisfying(Admission.Deferred.class, d -> {
            assertThat(d.reason()).isEqualTo("endpoint circuit open");
            assertThat(d.retryIn()).isGreaterThan(Duration.ofSeconds(20));
        });
    }

    @Test
    void stopWaitingHandsBackTheLineAndLetsNobodyWaitAfter() {
        admitted(waiter());
        admitted(waiter());
        Waiter waiting = waiter();
        guards.admit(waiting);

        assertThat(guards.stopWaiting()).containsExactly(waiting);
        assertThat(guards.admit(waiter())).isEqualTo(new Admission.Deferred(Duration.ofMillis(200), "endpoint busy"));
    }
}
