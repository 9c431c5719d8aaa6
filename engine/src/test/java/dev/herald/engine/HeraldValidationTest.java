package dev.herald.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.herald.engine.http.UrlPolicy;
import dev.herald.engine.memory.InMemoryDeliveryStore;
import dev.herald.engine.model.DeliveryStatus;
import dev.herald.engine.model.Endpoint;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input is refused with a code, and nothing is stored. */
class HeraldValidationTest {
    private static final String TENANT = "acme";
    private static final String URL = "https://hooks.example.com/in";

    private final InMemoryDeliveryStore store = new InMemoryDeliveryStore();
    private final Herald herald = Herald.builder().store(store).eventTypes("document.completed", "quota.warning")
            .maxPayloadBytes(2048).build();

    @AfterEach
    void close() {
        herald.close();
    }

    static Stream<Arguments> badEndpoints() {
        return Stream.of(
                Arguments.of(EndpointRequest.of("not a url"), ErrorCode.INVALID_URL),
                Arguments.of(EndpointRequest.of("ftp://example.com/x"), ErrorCode.INVALID_URL),
                Arguments.of(EndpointRequest.of("http://example.com/x"), ErrorCode.INVALID_URL),
                Arguments.of(EndpointRequest.of("https://127.0.0.1/x"), ErrorCode.BLOCKED_URL),
                Arguments.of(EndpointRequest.of("https://169.254.169.254/latest/meta-data"), ErrorCode.BLOCKED_URL),
                Arguments.of(EndpointRequest.of(URL, "no.such.type"), ErrorCode.INVALID_EVENT_TYPE),
                Arguments.of(EndpointRequest.of(URL, "Bad Type"), ErrorCode.INVALID_EVENT_TYPE),
                Arguments.of(EndpointRequest.of(URL).withSecret("whsec_!!!notbase64"), ErrorCode.INVALID_SECRET),
                Arguments.of(EndpointRequest.of(URL).withSecret("short"), ErrorCode.INVALID_SECRET),
                Arguments.of(new EndpointRequest(URL, Set.of(), null, Map.of("webhook-signature", "x"), null, true, 0, 0),
                        ErrorCode.INVALID_ARGUMENT),
                Arguments.of(new EndpointRequest(URL, Set.of(), null, Map.of("X-Tag", "a\r\nInjected: 1"), null, true,
                        0, 0), ErrorCode.INVALID_ARGUMENT),
                Arguments.of(new EndpointRequest(URL, Set.of(), "d".repeat(1001), null, null, true, 0, 0),
                        ErrorCode.INVALID_ARGUMENT),
                Arguments.of(new EndpointRequest(URL, Set.of(), null, null, null, true, -1, 0),
                        ErrorCode.INVALID_ARGUMENT),
                // Issue 8: lists the JDBC store could not keep were answered 503 STORE_UNAVAILABLE.
                Arguments.of(new EndpointRequest(URL, longFilters(100), null, null, null, true, 0, 0),
                        ErrorCode.INVALID_EVENT_TYPE),
                Arguments.of(new EndpointRequest(URL, Set.of(), null, headers(5, 1000), null, true, 0, 0),
                        ErrorCode.INVALID_ARGUMENT),
                Arguments.of(new EndpointRequest(URL, Set.of(), null, Map.of("X-Tag", "a\u0001b"), null, true, 0, 0),
                        ErrorCode.INVALID_ARGUMENT),
                Arguments.of(new EndpointRequest(URL, Set.of(), null, Map.of("X-Tag", "\uD83D\uDE00"), null, true, 0, 0),
                        ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void theLargestHeadersAndFiltersAllowedAreAccepted() {
        Map<String, String> headers = headers(4, 1000);
        headers.put("X-Latin", "caf\u00e9\tau lait");
        Set<String> filters = longFilters(30);

        Endpoint created = herald.createEndpoint(TENANT, new EndpointRequest(URL, filters, null, headers, null, true, 0, 0));

        assertThat(created.headers()).isEqualTo(headers);
        assertThat(created.eventTypes()).isEqualTo(filters);
    }

    /** {@code count} filters of {@code prefix.*}, 124 characters each. */
    private static Set<String> longFilters(int count) {
        Set<String> filters = new java.util.HashSet<>();
        for (int i = 0; i < count; i++) {
            filters.add(String.format("t%03d.", i) + "a".repeat(117) + ".*");
        }
        return filters;
    }

    private static Map<String, String> headers(int count, int valueLength) {
        Map<String, String> headers = new java.util.HashMap<>();
        for (int i = 0; i < count; i++) {
            headers.put("X-H" + i, "v".repeat(valueLength));
        }
        return headers;
    }

    @ParameterizedTest
    @MethodSource("badEndpoints")
    void badEndpointsAreRefusedAndNotStored(EndpointRequest request, ErrorCode expected) {
        HeraldException e = catchThrowableOfType(HeraldException.class, () -> herald.createEndpoint(TENANT, request));

        assertThat(e.code()).isEqualTo(expected);
        assertThat(herald.endpoints(TENANT, null, 10).items()).isEmpty();
    }

    @Test
    void secretsNeverAppearInMessages() {
        String secret = "whsec_" + "A".repeat(10) + "%%%";
        HeraldException e = catchThrowableOfType(HeraldException.class,
                () -> herald.createEndpoint(TENANT, EndpointRequest.of(URL).withSecret(secret)));

        assertThat(e.getMessage()).doesNotContain(secret).doesNotContain("AAAAAAAAAA");
    }

    static Stream<Arguments> badEvents() {
        return Stream.of(
                Arguments.of(EventRequest.of(TENANT, "quota.warning", ""), ErrorCode.INVALID_PAYLOAD),
                Arguments.of(EventRequest.of(TENANT, "quota.warning", "[1,2]"), ErrorCode.INVALID_PAYLOAD),
                Arguments.of(EventRequest.of(TENANT, "quota.warning", "{\"a\":"), ErrorCode.INVALID_PAYLOAD),
                Arguments.of(EventRequest.of(TENANT, "quota.warning", "{} {}"), ErrorCode.INVALID_PAYLOAD),
                Arguments.of(EventRequest.of(TENANT, "quota.warning", "{\"a\":\"" + "x".repeat(3000) + "\"}"),
                        ErrorCode.PAYLOAD_TOO_LARGE),
                Arguments.of(EventRequest.of(TENANT, "unknown.type", "{}"), ErrorCode.INVALID_EVENT_TYPE),
                Arguments.of(EventRequest.of(TENANT, "UPPER", "{}"), ErrorCode.INVALID_EVENT_TYPE),
                Arguments.of(EventRequest.of("", "quota.warning", "{}"), ErrorCode.INVALID_ARGUMENT),
                Arguments.of(EventRequest.of("a/b", "quota.warning", "{}"), ErrorCode.INVALID_ARGUMENT),
                Arguments.of(EventRequest.of(TENANT, "quota.warning", "{}").withIdempotencyKey("k".repeat(300)),
                        ErrorCode.INVALID_ARGUMENT));
    }

    @ParameterizedTest
    @MethodSource("badEvents")
    void badEventsAreRefusedAndNotStored(EventRequest request, ErrorCode expected) {
        HeraldException e = catchThrowableOfType(HeraldException.class, () -> herald.publish(request));

        assertThat(e.code()).isEqualTo(expected);
        assertThat(store.countByStatus().values().stream().mapToLong(Long::longValue).sum()).isZero();
    }

    @Test
    void otherTenantsIdsAreNotFound() {
        Endpoint endpoint = herald.createEndpoint(TENANT, EndpointRequest.of(URL));

        assertThat(catchThrowableOfType(HeraldException.class, () -> herald.endpoint("intruder", endpoint.id())).code())
                .isEqualTo(ErrorCode.ENDPOINT_NOT_FOUND);
        assertThat(catchThrowableOfType(HeraldException.class,
                () -> herald.deleteEndpoint("intruder", endpoint.id())).code()).isEqualTo(ErrorCode.ENDPOINT_NOT_FOUND);
        assertThat(herald.endpoint(TENANT, endpoint.id()).enabled()).isTrue();
    }

    @Test
    void anEndpointNotStartedStillAcceptsPublishes() {
        herald.createEndpoint(TENANT, EndpointRequest.of(URL));

        PublishResult result = herald.publish(EventRequest.of(TENANT, "document.completed", "{}"));

        assertThat(herald.delivery(TENANT, result.deliveryIds().get(0)).status()).isEqualTo(DeliveryStatus.SCHEDULED);
    }

    @Test
    void builderRejectsBadSettings() {
        HeraldBuilder b = Herald.builder();
        assertThatThrownBy(() -> b.maxInFlight(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxInFlight");
        assertThatThrownBy(() -> b.requestTimeout(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("requestTimeout");
        assertThatThrownBy(() -> b.lease(Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.eventTypes("Bad Type")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.coalesce("x", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.store(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("store");
        assertThatThrownBy(() -> Herald.builder().requestTimeout(Duration.ofSeconds(40)).lease(Duration.ofSeconds(60))
                .build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("lease");
    }

    @Test
    void strictPolicyIsTheDefault() {
        assertThat(catchThrowableOfType(HeraldException.class,
                () -> Herald.builder().urlPolicy(UrlPolicy.strict()).build()
                        .createEndpoint(TENANT, EndpointRequest.of("https://10.0.0.1/x"))).code())
                .isEqualTo(ErrorCode.BLOCKED_URL);
    }
}
