package dev.herald.demo.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.demo.fuzz.FuzzCase.Auth;
import dev.herald.demo.fuzz.FuzzCase.Expect;
import dev.herald.demo.fuzz.Json.Raw;
import dev.herald.engine.model.Ids;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Makes the drill's requests from a seeded {@link Random}: a fixed sweep that touches every family on every
 * route at least once, then an endless stream of random cases. Each case knows whether its input is bad
 * enough that the server must refuse it. Ids come from {@link Pools}, which the drill fills from answers.
 * Not thread-safe.
 */
final class FuzzCases {

    /** Ids to aim at: the acting tenant's own, filled from its answers, and another tenant's. */
    static final class Pools {
        final List<String> ownEndpoints = new ArrayList<>();
        final List<String> ownDeliveries = new ArrayList<>();
        final List<String> ownEvents = new ArrayList<>();
        final List<String> ownTokens = new ArrayList<>();
        final List<String> foreignEndpoints = new ArrayList<>();
        final List<String> foreignDeliveries = new ArrayList<>();
        final List<String> foreignEvents = new ArrayList<>();
        final List<String> foreignTokens = new ArrayList<>();
        final List<String> foreignIdempotencyKeys = new ArrayList<>();

        /** A new acting tenant owns nothing yet. */
        void clearOwn() {
            ownEndpoints.clear();
            ownDeliveries.clear();
            ownEvents.clear();
            ownTokens.clear();
        }

        List<String> foreignIds() {
            List<String> all = new ArrayList<>(foreignEndpoints);
            all.addAll(foreignDeliveries);
            all.addAll(foreignEvents);
            all.addAll(foreignTokens);
            return all;
        }

        /** Takes every id an answer shows into the acting tenant's pools. */
        void collect(JsonNode node) {
            if (node == null) {
                return;
            }
            if (node.isTextual()) {
                String text = node.textValue();
                add(text, Ids.ENDPOINT, ownEndpoints);
                add(text, Ids.DELIVERY, ownDeliveries);
                add(text, Ids.EVENT, ownEvents);
                add(text, Ids.UPLOAD, ownTokens);
            }
            node.forEach(this::collect);
        }

        private static void add(String text, String prefix, List<String> pool) {
            // Bounded: the newest ids are the ones worth aiming at.
            if (Ids.isValid(prefix, text) && !pool.contains(text)) {
                if (pool.size() >= 200) {
                    pool.remove(0);
                }
                pool.add(text);
            }
        }
    }

    /** The kinds of JSON value a body field takes. */
    private enum Kind { STRING, URL, INT, LONG, BOOL, STRINGS, STRING_MAP, OBJECT, WEBHOOK, FILES, ENDPOINT_ID, TOKEN }

    private record Field(String name, Kind kind, boolean required) {
    }

    /** The routes that read a JSON body, with their fields. */
    private enum BodyRoute {
        ENDPOINT_CREATE("POST", endpointFields()),
        ENDPOINT_UPDATE("PUT", endpointFields()),
        EVENT("POST", List.of(new Field("type", Kind.STRING, true), new Field("data", Kind.OBJECT, true),
                new Field("subject", Kind.STRING, false), new Field("idempotencyKey", Kind.STRING, false))),
        ROTATE("POST", List.of(new Field("graceSeconds", Kind.LONG, false))),
        SIGNED_URL("POST", List.of(new Field("filename", Kind.STRING, true), new Field("contentType", Kind.STRING, true),
                new Field("size", Kind.LONG, false), new Field("key", Kind.STRING, false),
                new Field("bucket", Kind.STRING, false), new Field("trigger", Kind.STRING, false),
                new Field("expiresInSeconds", Kind.LONG, false), new Field("metadata", Kind.OBJECT, false),
                new Field("webhook", Kind.WEBHOOK, true))),
        BATCH("POST", List.of(new Field("files", Kind.FILES, true), new Field("webhook", Kind.WEBHOOK, true))),
        CONFIRM("POST", List.of(new Field("token", Kind.TOKEN, true), new Field("etag", Kind.STRING, false))),
        NOTIFICATION("POST", List.of(new Field("bucket", Kind.STRING, true), new Field("key", Kind.STRING, true),
                new Field("size", Kind.LONG, false), new Field("etag", Kind.STRING, false)));

        final String method;
        final List<Field> fields;

        BodyRoute(String method, List<Field> fields) {
            this.method = method;
            this.fields = fields;
        }

        private static List<Field> endpointFields() {
            return List.of(new Field("url", Kind.URL, true), new Field("eventTypes", Kind.STRINGS, false),
                    new Field("description", Kind.STRING, false), new Field("headers", Kind.STRING_MAP, false),
                    new Field("secret", Kind.STRING, false), new Field("enabled", Kind.BOOL, false),
                    new Field("maxInFlight", Kind.INT, false), new Field("rateLimit", Kind.INT, false));
        }
    }

    private static final List<String> VALID_TYPES = List.of("document.completed", "quota.warning", "upload.completed",
            "herald.test");
    private static final List<String> FILTERS = List.of("document.completed", "quota.warning", "upload.*", "*",
            "herald.test", "document.*");

    private final Random random;
    private final Pools pools;
    private final DrillReceiver receiver;
    private final List<String> refusedUrls;
    private final List<String> resolvedBlockedUrls;
    private final Ids unknownIds;
    private final FuzzValues values;
    private final Deque<FuzzCase> followUps = new ArrayDeque<>();
    private long hugeBytesLeft;
    private int serial;

    FuzzCases(long seed, Pools pools, DrillReceiver receiver, StubResolver resolver, long hugeBytesBudget) {
        this.random = new Random(seed);
        this.pools = pools;
        this.receiver = receiver;
        this.refusedUrls = SsrfTargets.refused(receiver.port());
        this.resolvedBlockedUrls = SsrfTargets.resolvedBlocked(resolver.blockedNames(), receiver.port());
        this.unknownIds = new Ids(Clock.systemUTC(), new Random(seed ^ 0x5DEECE66DL));
        this.values = new FuzzValues(random, unknownIds);
        this.hugeBytesLeft = hugeBytesBudget;
    }

    // ---- the fixed sweep ------------------------------------------------------------------------

    /**
     * Every SSRF target, every redirect, every foreign id, every limit, every field of every body. Each target
     * goes to one route that takes a URL, in turn; with {@code everyRoute}, to all four.
     */
    List<FuzzCase> sweep(boolean everyRoute) {
        List<FuzzCase> cases = new ArrayList<>();
        List<BodyRoute> urlRoutes = List.of(BodyRoute.ENDPOINT_CREATE, BodyRoute.ENDPOINT_UPDATE, BodyRoute.SIGNED_URL,
                BodyRoute.BATCH);
        for (int i = 0; i < refusedUrls.size(); i++) {
            for (BodyRoute route : everyRoute ? urlRoutes : List.of(urlRoutes.get(i % urlRoutes.size()))) {
                cases.add(ssrf(route, refusedUrls.get(i), true));
            }
        }
        for (int i = 0; i < resolvedBlockedUrls.size(); i++) {
            // Endpoints get a test event at once; uploads only announce a completion, so they are tried less.
            cases.add(ssrf(everyRoute || i % 3 != 2 ? BodyRoute.ENDPOINT_CREATE : BodyRoute.SIGNED_URL,
                    resolvedBlockedUrls.get(i), false));
            if (everyRoute) {
                cases.add(ssrf(BodyRoute.SIGNED_URL, resolvedBlockedUrls.get(i), false));
            }
        }
        for (int status : DrillReceiver.REDIRECT_STATUSES) {
            for (int n = 0; n < DrillReceiver.LOCATIONS.size(); n++) {
                cases.add(redirect(status, n));
            }
        }
        cases.addAll(foreignSweep());
        cases.addAll(boundaries());
        for (BodyRoute route : BodyRoute.values()) {
            for (Field field : route.fields) {
                cases.add(wrongType(route, field));
                cases.add(unicode(route, field));
            }
            cases.add(syntax(route));
            cases.add(missingRequired(route));
        }
        CONTENT_TYPES.forEach(type -> cases.add(contentType(type)));
        cases.add(auth());
        cases.add(methodOrRoute());
        cases.add(pathOrQuery());
        return cases;
    }

    // ---- the random stream ----------------------------------------------------------------------

    /** The next case: a follow-up of an accepted one if any, else a random one. */
    FuzzCase next() {
        if (!followUps.isEmpty()) {
            return followUps.pollFirst();
        }
        int roll = random.nextInt(100);
        if (roll < 10) {
            return valid();
        } else if (roll < 28) {
            BodyRoute route = values.pick(BodyRoute.values());
            return random.nextBoolean() ? wrongType(route, values.pick(route.fields)) : mutated(route);
        } else if (roll < 42) {
            return syntax(values.pick(BodyRoute.values()));
        } else if (roll < 54) {
            BodyRoute route = values.pick(BodyRoute.values());
            return unicode(route, values.pick(route.fields));
        } else if (roll < 62) {
            BodyRoute route = values.pick(List.of(BodyRoute.ENDPOINT_CREATE, BodyRoute.ENDPOINT_UPDATE, BodyRoute.SIGNED_URL,
                    BodyRoute.BATCH));
            boolean refused = random.nextBoolean();
            return ssrf(route, values.pick(refused ? refusedUrls : resolvedBlockedUrls), refused);
        } else if (roll < 70) {
            return foreign();
        } else if (roll < 80) {
            return pathOrQuery();
        } else if (roll < 84) {
            return auth();
        } else if (roll < 89) {
            return random.nextBoolean() ? methodOrRoute() : contentType();
        } else if (roll < 92) {
            return redirect(values.pick(DrillReceiver.REDIRECT_STATUSES), random.nextInt(DrillReceiver.LOCATIONS.size()));
        } else if (roll < 95) {
            return huge();
        } else if (roll < 98) {
            return values.pick(boundaries());
        }
        return invalidUtf8(values.pick(BodyRoute.values()));
    }

    /** The next follow-up of an accepted case, or null. */
    FuzzCase followUp() {
        return followUps.pollFirst();
    }

    /**
     * Tells the generator what an accepted case created: a new endpoint gets a test event, so that a URL
     * accepted at registration is also tried by the transport.
     */
    void accepted(FuzzCase c, JsonNode answer) {
        if (c.method().equals("POST") && c.path().equals("/v1/endpoints") && answer != null && answer.hasNonNull("id")) {
            followUps.add(FuzzCase.of("follow-up test", "POST", "/v1/endpoints/" + answer.get("id").asText() + "/test",
                    null, Expect.ANY));
        }
    }

    // ---- families -------------------------------------------------------------------------------

    /** Requests a well-behaved client sends; they keep the pools full and the receiver busy. */
    private FuzzCase valid() {
        int roll = random.nextInt(10);
        if (roll < 3) {
            return FuzzCase.json("valid", "POST", "/v1/endpoints", Json.write(skeleton(BodyRoute.ENDPOINT_CREATE)), Expect.ANY);
        } else if (roll < 6) {
            return FuzzCase.json("valid", "POST", "/v1/events", Json.write(skeleton(BodyRoute.EVENT)), Expect.ANY);
        } else if (roll < 7) {
            return FuzzCase.json("valid", "POST", "/v1/uploads/signed-url", Json.write(skeleton(BodyRoute.SIGNED_URL)),
                    Expect.ANY);
        } else if (roll < 8) {
            return FuzzCase.of("valid", "POST", "/v1/endpoints/" + own(pools.ownEndpoints, Ids.ENDPOINT) + "/test", null,
                    Expect.ANY);
        } else if (roll < 9) {
            return FuzzCase.of("valid", "POST", "/v1/deliveries/" + own(pools.ownDeliveries, Ids.DELIVERY) + "/replay",
                    null, Expect.ANY);
        }
        return FuzzCase.of("valid", "GET", values.pick(List.of("/v1/endpoints", "/v1/deliveries", "/v1/dead-letters",
                "/v1/deliveries?status=DEAD&limit=5")), null, Expect.ANY);
    }

    private FuzzCase ssrf(BodyRoute route, String url, boolean refused) {
        Map<String, Object> body = skeleton(route);
        switch (route) {
            case ENDPOINT_CREATE, ENDPOINT_UPDATE -> body.put("url", url);
            case SIGNED_URL, BATCH -> body.put("webhook", webhook(url));
            default -> throw new IllegalArgumentException(route.name());
        }
        FuzzCase c = body(refused ? "ssrf refused" : "ssrf resolved", route, Json.write(body).getBytes(StandardCharsets.UTF_8),
                refused ? Expect.REJECT : Expect.ANY);
        if (!refused) {
            return c;
        }
        // An update may aim at an endpoint a case deleted: not found comes before the URL.
        return route == BodyRoute.ENDPOINT_UPDATE ? c.withCodes("BLOCKED_URL", "INVALID_URL", "ENDPOINT_NOT_FOUND")
                : c.withCodes("BLOCKED_URL", "INVALID_URL");
    }

    private FuzzCase redirect(int status, int location) {
        Map<String, Object> body = skeleton(BodyRoute.ENDPOINT_CREATE);
        body.put("url", receiver.url("/redirect/" + status + "/" + location));
        body.remove("eventTypes");
        return FuzzCase.json("redirect", "POST", "/v1/endpoints", Json.write(body), Expect.ANY);
    }

    /** Another tenant's ids, wherever an id goes. */
    private List<FuzzCase> foreignSweep() {
        List<FuzzCase> cases = new ArrayList<>();
        for (String ep : pools.foreignEndpoints) {
            cases.add(FuzzCase.of("foreign", "GET", "/v1/endpoints/" + ep, null, Expect.NOT_FOUND));
            Map<String, Object> update = skeleton(BodyRoute.ENDPOINT_CREATE);
            cases.add(FuzzCase.json("foreign", "PUT", "/v1/endpoints/" + ep, Json.write(update), Expect.NOT_FOUND));
            cases.add(FuzzCase.of("foreign", "DELETE", "/v1/endpoints/" + ep, null, Expect.NOT_FOUND));
            for (String action : List.of("disable", "enable", "rotate-secret", "test", "replay")) {
                cases.add(FuzzCase.of("foreign", "POST", "/v1/endpoints/" + ep + "/" + action, null, Expect.NOT_FOUND));
            }
            Map<String, Object> upload = skeleton(BodyRoute.SIGNED_URL);
            upload.remove("webhook");
            upload.put("endpointId", ep);
            cases.add(FuzzCase.json("foreign", "POST", "/v1/uploads/signed-url", Json.write(upload), Expect.NOT_FOUND));
            Map<String, Object> batch = skeleton(BodyRoute.BATCH);
            batch.remove("webhook");
            batch.put("endpointId", ep);
            cases.add(FuzzCase.json("foreign", "POST", "/v1/uploads/batch", Json.write(batch), Expect.NOT_FOUND));
            cases.add(FuzzCase.of("foreign", "GET", "/v1/deliveries?endpointId=" + ep, null, Expect.NO_FOREIGN));
            cases.add(FuzzCase.of("foreign", "GET", "/v1/dead-letters?endpointId=" + ep, null, Expect.NO_FOREIGN));
            cases.add(FuzzCase.of("foreign", "GET", "/v1/endpoints?cursor=" + ep, null, Expect.NO_FOREIGN));
        }
        for (String dlv : pools.foreignDeliveries) {
            cases.add(FuzzCase.of("foreign", "GET", "/v1/deliveries/" + dlv, null, Expect.NOT_FOUND));
            cases.add(FuzzCase.of("foreign", "POST", "/v1/deliveries/" + dlv + "/replay", null, Expect.NOT_FOUND));
            cases.add(FuzzCase.of("foreign", "GET", "/v1/deliveries?cursor=" + dlv, null, Expect.NO_FOREIGN));
        }
        for (String evt : pools.foreignEvents) {
            cases.add(FuzzCase.of("foreign", "GET", "/v1/deliveries?eventId=" + evt, null, Expect.NO_FOREIGN));
        }
        for (String token : pools.foreignTokens) {
            cases.add(FuzzCase.of("foreign", "GET", "/v1/webhooks/status/" + token, null, Expect.NOT_FOUND));
            cases.add(FuzzCase.json("foreign", "POST", "/v1/webhooks/confirm", Json.write(FuzzValues.map("token", token)),
                    Expect.NOT_FOUND));
        }
        for (String key : pools.foreignIdempotencyKeys) {
            Map<String, Object> event = skeleton(BodyRoute.EVENT);
            event.put("idempotencyKey", key);
            cases.add(FuzzCase.json("foreign", "POST", "/v1/events", Json.write(event), Expect.NO_FOREIGN));
        }
        return cases;
    }

    private FuzzCase foreign() {
        List<FuzzCase> all = foreignSweep();
        return all.isEmpty() ? pathOrQuery() : values.pick(all);
    }

    /** Values at and past the limits of the engine and of the store's columns. */
    private List<FuzzCase> boundaries() {
        List<FuzzCase> cases = new ArrayList<>();
        // Many event type filters, each long: the filter list is stored as one column.
        for (int count : new int[] {100, 101}) {
            List<String> filters = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                filters.add("t" + i + "." + "a".repeat(110) + ".*");
            }
            Map<String, Object> body = skeleton(BodyRoute.ENDPOINT_CREATE);
            body.put("eventTypes", filters);
            cases.add(FuzzCase.json("boundary eventTypes x" + count, "POST", "/v1/endpoints", Json.write(body), Expect.ANY));
        }
        // The most custom headers allowed, each with the longest name and value.
        for (int count : new int[] {20, 21}) {
            Map<String, Object> headers = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = "X-" + i + "-" + "h".repeat(96 - String.valueOf(i).length());
                headers.put(name, "\u00e9".repeat(1024));
            }
            Map<String, Object> body = skeleton(BodyRoute.ENDPOINT_CREATE);
            body.put("headers", headers);
            cases.add(FuzzCase.json("boundary headers x" + count, "POST", "/v1/endpoints", Json.write(body), Expect.ANY));
        }
        // Long secrets: the current and the previous secret are stored together.
        for (int length : new int[] {1000, 4000, 8000, 9000}) {
            Map<String, Object> body = skeleton(BodyRoute.ENDPOINT_CREATE);
            body.put("secret", "s".repeat(length));
            cases.add(FuzzCase.json("boundary secret " + length, "POST", "/v1/endpoints", Json.write(body), Expect.ANY));
        }
        for (int length : new int[] {1000, 1001, 4097}) {
            Map<String, Object> body = skeleton(BodyRoute.ENDPOINT_CREATE);
            body.put("description", "\uD83D\uDE00".repeat(length / 2) + "d".repeat(length % 2));
            cases.add(FuzzCase.json("boundary description " + length, "POST", "/v1/endpoints", Json.write(body), Expect.ANY));
        }
        for (int length : new int[] {128, 129, 257, 2049}) {
            Map<String, Object> event = skeleton(BodyRoute.EVENT);
            event.put("type", "a".repeat(length));
            cases.add(FuzzCase.json("boundary type " + length, "POST", "/v1/events", Json.write(event), Expect.REJECT));
        }
        for (String field : List.of("subject", "idempotencyKey")) {
            for (int length : new int[] {256, 257, 513, 5000}) {
                Map<String, Object> event = skeleton(BodyRoute.EVENT);
                event.put(field, "k".repeat(length));
                cases.add(FuzzCase.json("boundary " + field + " " + length, "POST", "/v1/events", Json.write(event),
                        length > 256 ? Expect.REJECT : Expect.ANY));
            }
        }
        for (String field : List.of("filename", "contentType", "key", "bucket", "trigger")) {
            for (int length : new int[] {255, 256, 1024, 1025, 70_000}) {
                Map<String, Object> upload = skeleton(BodyRoute.SIGNED_URL);
                upload.put(field, "f".repeat(length - 4) + ".txt");
                cases.add(FuzzCase.json("boundary " + field + " " + length, "POST", "/v1/uploads/signed-url",
                        Json.write(upload), Expect.ANY));
            }
        }
        for (int size : new int[] {4096, 4097, 70_000}) {
            Map<String, Object> upload = skeleton(BodyRoute.SIGNED_URL);
            upload.put("metadata", FuzzValues.map("m", "m".repeat(size)));
            cases.add(FuzzCase.json("boundary metadata " + size, "POST", "/v1/uploads/signed-url", Json.write(upload),
                    Expect.ANY));
        }
        for (int count : new int[] {100, 101, 1000}) {
            Map<String, Object> batch = skeleton(BodyRoute.BATCH);
            List<Object> files = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                files.add(file());
            }
            batch.put("files", files);
            cases.add(FuzzCase.json("boundary batch " + count, "POST", "/v1/uploads/batch", Json.write(batch), Expect.ANY));
        }
        for (long seconds : new long[] {0, -1, 59, 604_801, Long.MAX_VALUE, Long.MIN_VALUE}) {
            Map<String, Object> upload = skeleton(BodyRoute.SIGNED_URL);
            upload.put("expiresInSeconds", seconds);
            cases.add(FuzzCase.json("boundary expiresInSeconds " + seconds, "POST", "/v1/uploads/signed-url",
                    Json.write(upload), Expect.REJECT));
        }
        for (long grace : new long[] {-1, 604_801, Long.MAX_VALUE, Long.MIN_VALUE}) {
            cases.add(FuzzCase.json("boundary graceSeconds " + grace, "POST",
                    "/v1/endpoints/" + own(pools.ownEndpoints, Ids.ENDPOINT) + "/rotate-secret",
                    Json.write(FuzzValues.map("graceSeconds", grace)), Expect.REJECT));
        }
        for (int value : new int[] {-1, 1001, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            Map<String, Object> body = skeleton(BodyRoute.ENDPOINT_CREATE);
            body.put(random.nextBoolean() ? "maxInFlight" : "rateLimit", value == 1001 ? 100_001 : value);
            cases.add(FuzzCase.json("boundary number " + value, "POST", "/v1/endpoints", Json.write(body), Expect.REJECT));
        }
        for (long size : new long[] {-1, 0, Long.MAX_VALUE}) {
            Map<String, Object> upload = skeleton(BodyRoute.SIGNED_URL);
            upload.put("size", size);
            cases.add(FuzzCase.json("boundary size " + size, "POST", "/v1/uploads/signed-url", Json.write(upload),
                    Expect.ANY));
        }
        return cases;
    }

    private FuzzCase wrongType(BodyRoute route, Field field) {
        Map<String, Object> body = skeleton(route);
        body.put(field.name(), values.pick(wrongValues(field.kind())));
        return body("wrong type " + field.name(), route, Json.write(body).getBytes(StandardCharsets.UTF_8), Expect.REJECT);
    }

    private FuzzCase missingRequired(BodyRoute route) {
        Map<String, Object> body = skeleton(route);
        List<Field> required = route.fields.stream().filter(Field::required).toList();
        if (required.isEmpty()) {
            body.put("graceSeconds", null);
            return body("missing field", route, Json.write(body).getBytes(StandardCharsets.UTF_8), Expect.ANY);
        }
        Field field = values.pick(required);
        if (random.nextBoolean()) {
            body.remove(field.name());
        } else {
            body.put(field.name(), null);
        }
        return body("missing " + field.name(), route, Json.write(body).getBytes(StandardCharsets.UTF_8), Expect.REJECT);
    }

    /** A valid body with one structural change the server must refuse, or one it may take. */
    private FuzzCase mutated(BodyRoute route) {
        Map<String, Object> body = skeleton(route);
        int roll = random.nextInt(6);
        Expect expect = Expect.REJECT;
        String what;
        switch (roll) {
            case 0 -> {
                body.put(values.pick(FuzzValues.NASTY) + "unknown", 1);
                what = "unknown field";
            }
            case 1 -> {
                // Both targets, or a batch file with an unknown field.
                if (route == BodyRoute.SIGNED_URL || route == BodyRoute.BATCH) {
                    body.put("endpointId", own(pools.ownEndpoints, Ids.ENDPOINT));
                    what = "two targets";
                } else {
                    body.put("__proto__", FuzzValues.map("admin", true));
                    what = "prototype field";
                }
            }
            case 2 -> {
                Field field = values.pick(route.fields);
                // Two levels at least: one level is a valid list or map.
                body.put(field.name(), values.deep(random.nextInt(3) == 0 ? 1200 : 2 + random.nextInt(40), random.nextBoolean()));
                expect = field.kind() == Kind.OBJECT ? Expect.ANY : Expect.REJECT;
                what = "deep " + field.name();
            }
            case 3 -> {
                Field field = values.pick(route.fields);
                body.put(field.name(), values.pick(values.rangeValues()));
                expect = Expect.ANY;
                what = "odd number " + field.name();
            }
            case 4 -> {
                if (route == BodyRoute.BATCH) {
                    body.put("files", List.of(FuzzValues.map("filename", "a.txt", "contentType", "text/plain", "extra", 1)));
                } else if (route == BodyRoute.SIGNED_URL) {
                    body.put("webhook", FuzzValues.map("url", receiver.url("/hook"), "headers", FuzzValues.map()));
                } else {
                    body.put("", "");
                }
                what = "nested unknown field";
            }
            default -> {
                Field field = values.pick(route.fields);
                body.put(field.name(), values.longString());
                expect = Expect.ANY;
                what = "long " + field.name();
            }
        }
        return body("mutated " + what, route, Json.write(body).getBytes(StandardCharsets.UTF_8), expect);
    }

    /** Text that is not the JSON object the route wants. */
    private FuzzCase syntax(BodyRoute route) {
        String valid = Json.write(skeleton(route));
        int roll = random.nextInt(14);
        String text;
        Expect expect = Expect.REJECT;
        switch (roll) {
            case 0 -> {
                int cut = random.nextInt(valid.length());
                text = valid.substring(0, cut);
                if (cut == 0 && route == BodyRoute.ROTATE) {
                    expect = Expect.ANY;
                }
            }
            case 1 -> text = valid + values.pick(List.of("x", "}", "]", ",", "{}", "[]", "null", "1", "\"\""));
            case 2 -> text = "[" + valid + "]";
            case 3 -> {
                text = values.pick(List.of("null", "1", "-1.5e3", "\"s\"", "true", "[]", "[{}]", "\"{}\""));
            }
            case 4 -> text = valid.replaceFirst("\"", "'").replaceFirst("\"", "'");
            case 5 -> text = valid.replaceFirst("\\{\"([a-zA-Z]+)\"", "{$1");
            case 6 -> text = valid.substring(0, valid.length() - 1) + ",}";
            case 7 -> text = "{/* c */" + valid.substring(1);
            case 8 -> {
                int colon = valid.indexOf(':');
                int end = valid.indexOf(',', colon);
                text = end < 0 ? valid + "x" : valid.substring(0, end) + "," + valid.substring(1, end) + valid.substring(end);
            }
            case 9 -> text = valid.replaceFirst(":", ":NaN,\"_\":");
            case 10 -> {
                StringBuilder b = new StringBuilder(valid);
                int changes = 1 + random.nextInt(4);
                for (int i = 0; i < changes && b.length() > 0; i++) {
                    int at = random.nextInt(b.length());
                    b.setCharAt(at, (char) random.nextInt(128));
                }
                text = b.toString();
                expect = Expect.ANY;
            }
            case 11 -> {
                byte[] bytes = new byte[1 + random.nextInt(300)];
                random.nextBytes(bytes);
                return body("syntax random bytes", route, bytes, Expect.ANY);
            }
            case 12 -> {
                text = "\uFEFF" + valid;
                expect = Expect.ANY;
            }
            default -> {
                text = values.pick(List.of("", " ", "\n\t ", "{", "}", "{\"a\"}", "{\"a\":}", "{:1}", "{\"a\" 1}", "{,}",
                        "{\"a\":01}", "{\"a\":+1}", "{\"a\":.5}", "{\"a\":0x10}", "{\"a\":\"\\x41\"}",
                        "{\"a\":\"\\u12\"}", "{\"a\":\"\u0001\"}", "{\"a\":Infinity}", "{\"a\":undefined}"));
                if (route == BodyRoute.ROTATE && text.isBlank()) {
                    expect = Expect.ANY;
                }
            }
        }
        if (text.equals(valid)) {
            // The change found nothing to change (an empty object has no quotes or colons).
            expect = Expect.ANY;
        }
        return body("syntax " + roll, route, text.getBytes(StandardCharsets.UTF_8), expect);
    }

    private FuzzCase unicode(BodyRoute route, Field field) {
        Map<String, Object> body = skeleton(route);
        String nasty = random.nextInt(4) == 0 ? values.randomUnicode(1 + random.nextInt(64)) : values.pick(FuzzValues.NASTY);
        switch (field.kind()) {
            case STRINGS -> body.put(field.name(), List.of(nasty));
            case STRING_MAP -> body.put(field.name(), random.nextBoolean() ? FuzzValues.map(nasty, "v") : FuzzValues.map("X-U", nasty));
            case OBJECT -> body.put(field.name(), FuzzValues.map(nasty, nasty));
            case WEBHOOK -> body.put(field.name(), webhook(receiver.url("/hook/" + nasty)));
            case FILES -> body.put(field.name(), List.of(FuzzValues.map("filename", nasty, "contentType", "text/plain")));
            case INT, LONG, BOOL -> body.put(field.name(), nasty);
            default -> body.put(field.name(), nasty);
        }
        Expect expect = switch (field.kind()) {
            case INT, LONG, BOOL -> Expect.REJECT;
            default -> Expect.ANY;
        };
        boolean escapeAll = random.nextInt(3) == 0;
        return body("unicode " + field.name(), route, Json.write(body, escapeAll).getBytes(StandardCharsets.UTF_8), expect);
    }

    /** Bytes that are not UTF-8 inside a string of a valid body: overlong forms, CESU surrogates, stray bytes. */
    private FuzzCase invalidUtf8(BodyRoute route) {
        Map<String, Object> body = skeleton(route);
        List<Field> strings = route.fields.stream().filter(f -> f.kind() == Kind.STRING || f.kind() == Kind.URL).toList();
        String name = strings.isEmpty() ? "x" : values.pick(strings).name();
        String marker = "~~BAD" + random.nextInt(1000) + "~~";
        body.put(name, "x" + marker + "y");
        byte[] text = Json.write(body).getBytes(StandardCharsets.UTF_8);
        byte[] bad = values.pick(List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0x80}, new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                new byte[] {0x00}));
        return body("invalid utf-8 " + name, route, FuzzValues.replace(text, marker.getBytes(StandardCharsets.UTF_8), bad),
                Expect.ANY);
    }

    /** Bodies past the server's request limit or the engine's payload limit, within the byte budget. */
    private FuzzCase huge() {
        int roll = random.nextInt(5);
        int size = switch (roll) {
            case 0 -> 1024 * 1024 + 1 + random.nextInt(1024);
            case 1 -> 2 * 1024 * 1024 + random.nextInt(6 * 1024 * 1024);
            case 2 -> 256 * 1024 + 1 + random.nextInt(512 * 1024);
            case 3 -> 100_000 + random.nextInt(800_000);
            default -> 10_000 + random.nextInt(200_000);
        };
        if (hugeBytesLeft < size) {
            return syntax(values.pick(BodyRoute.values()));
        }
        hugeBytesLeft -= size;
        Map<String, Object> event = skeleton(BodyRoute.EVENT);
        Expect expect;
        String text;
        switch (roll) {
            case 0, 1 -> {
                event.put("data", FuzzValues.map("s", "a".repeat(size)));
                text = Json.write(event);
                expect = Expect.REJECT;
            }
            case 2 -> {
                event.put("data", FuzzValues.map("s", "\u00e9".repeat(size / 2 + 1)));
                text = Json.write(event);
                expect = Expect.REJECT;
            }
            case 3 -> {
                // Many keys: the body is large for its length in characters.
                Map<String, Object> data = new LinkedHashMap<>();
                for (int i = 0; data.size() * 12 < size; i++) {
                    data.put("k" + i, i);
                }
                event.put("data", data);
                text = Json.write(event);
                expect = Expect.ANY;
            }
            default -> {
                // Nesting far past what a parser should follow.
                text = "{\"type\":\"document.completed\",\"data\":" + "[".repeat(size / 2) + "]".repeat(size / 2) + "}";
                expect = Expect.REJECT;
            }
        }
        return FuzzCase.json("huge " + roll, "POST", "/v1/events", text, expect);
    }

    private FuzzCase auth() {
        FuzzCase target = random.nextBoolean() ? valid() : pathOrQuery();
        int roll = random.nextInt(4);
        if (roll == 0) {
            return target.withAuth(Auth.NONE, Expect.UNAUTHORIZED);
        } else if (roll == 1) {
            return target.withAuth(Auth.WRONG, Expect.UNAUTHORIZED);
        }
        String header = values.pick(List.of("Bearer", "Bearer ", "Bearer  ", "Basic aGVyYWxkOmhlcmFsZA==", "Bearer hk_",
                "Bearer " + "k".repeat(4000), "Token hk_x", "Bearer\tx", "Bearer hk_\u00e9\u00e8", "Bearer ' OR 1=1 --",
                "Bearer null", "Bearer %00"));
        return target.withAuth(Auth.NONE, Expect.UNAUTHORIZED).withHeaders(Map.of("Authorization", header));
    }

    private FuzzCase methodOrRoute() {
        int roll = random.nextInt(3);
        if (roll == 0) {
            String path = values.pick(List.of("/v1/endpoints", "/v1/events", "/v1/deliveries", "/v1/dead-letters",
                    "/v1/uploads/signed-url", "/v1/webhooks/confirm", "/v1/endpoints/" + own(pools.ownEndpoints, Ids.ENDPOINT)));
            String method = values.pick(List.of("PATCH", "TRACE", "DELETE", "PUT", "HEAD", "OPTIONS"));
            Expect expect = method.equals("HEAD") || method.equals("OPTIONS") ? Expect.ANY : Expect.REJECT;
            if (method.equals("DELETE") || method.equals("PUT")) {
                expect = path.startsWith("/v1/endpoints/") ? Expect.ANY : Expect.REJECT;
            }
            return FuzzCase.json("method", method, path, method.equals("PUT") ? "{}" : null, expect);
        } else if (roll == 1) {
            // Paths the server may normalise to a real route ("/v1//endpoints") may be answered; the rest are 4xx.
            String path = values.pick(List.of("/v1", "/v1/", "/v1/nothing", "/v1/endpoints/a/b/c/d", "/v2/endpoints",
                    "/v1/events/" + own(pools.ownEvents, Ids.EVENT), "/v1/uploads", "/v1/webhooks", "/v1/webhooks/status/",
                    "/v1//endpoints", "/v1/endpoints/%2e%2e", "/v1/endpoints/..;/..;/", "/v1/%00", "/v1/endpoints%2F",
                    "/v1/./endpoints", "/v1/endpoints/"));
            boolean mayNormalise = path.contains("//") || path.contains("/./") || path.endsWith("endpoints/");
            return FuzzCase.of("route", values.pick(List.of("GET", "POST")), path, null, mayNormalise ? Expect.ANY : Expect.REJECT);
        }
        Map<String, String> headers = Map.of(values.pick(List.of("Accept", "Idempotency-Key", "X-Forwarded-For", "Host",
                "X-Http-Method-Override", "Content-Encoding")), values.pick(List.of("text/html", "application/xml", "*/*;q=0",
                "k".repeat(5000), "127.0.0.1", "DELETE", "gzip", "\u00e9\u00e8", "", " ", "a,b,c", "br")));
        FuzzCase c = FuzzCase.json("header", "POST", "/v1/events", Json.write(skeleton(BodyRoute.EVENT)), Expect.ANY);
        return c.withHeaders(headers);
    }

    private static final List<String> CONTENT_TYPES = Arrays.asList("text/plain", "application/xml",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
            "application/json; charset=iso-8859-1", "application/json; charset=nonsense", "application/json; charset=@@",
            "application/json; charset=", "application/json; charset=\"utf-8\"", "application/vnd.api+json", "*/*",
            "a/b/c", "application/json;;;", "application/json; boundary=--", null);

    private FuzzCase contentType() {
        return contentType(values.pick(CONTENT_TYPES));
    }

    private FuzzCase contentType(String type) {
        BodyRoute route = values.pick(BodyRoute.values());
        FuzzCase c = body("content type", route, Json.write(skeleton(route)).getBytes(StandardCharsets.UTF_8), Expect.ANY);
        return c.withContentType(type);
    }

    /** Ids and query parameters of every kind of wrong. */
    private FuzzCase pathOrQuery() {
        int roll = random.nextInt(3);
        if (roll == 0) {
            String id = values.junkId();
            String template = values.pick(List.of("GET /v1/endpoints/%s", "PUT /v1/endpoints/%s", "DELETE /v1/endpoints/%s",
                    "POST /v1/endpoints/%s/disable", "POST /v1/endpoints/%s/enable", "POST /v1/endpoints/%s/rotate-secret",
                    "POST /v1/endpoints/%s/test", "POST /v1/endpoints/%s/replay", "GET /v1/deliveries/%s",
                    "POST /v1/deliveries/%s/replay", "GET /v1/webhooks/status/%s"));
            String[] parts = template.split(" ", 2);
            String body = parts[0].equals("PUT") ? Json.write(skeleton(BodyRoute.ENDPOINT_CREATE)) : null;
            return FuzzCase.json("path id", parts[0], String.format(parts[1], id), body, Expect.REJECT);
        }
        String param = values.pick(List.of("limit", "cursor", "status", "endpointId", "eventId"));
        String value = values.junkQueryValue(param);
        String path = switch (param) {
            case "status", "eventId" -> "/v1/deliveries";
            case "endpointId" -> values.pick(List.of("/v1/deliveries", "/v1/dead-letters"));
            default -> values.pick(List.of("/v1/endpoints", "/v1/deliveries", "/v1/dead-letters"));
        };
        boolean empty = value.isEmpty();
        return FuzzCase.of("query " + param, "GET", path + "?" + param + "=" + value
                + (random.nextInt(4) == 0 ? "&" + param + "=" + values.junkQueryValue(param) : ""), null,
                empty ? Expect.ANY : Expect.REJECT);
    }

    // ---- values ---------------------------------------------------------------------------------

    private Map<String, Object> skeleton(BodyRoute route) {
        Map<String, Object> body = new LinkedHashMap<>();
        int n = ++serial;
        switch (route) {
            case ENDPOINT_CREATE, ENDPOINT_UPDATE -> {
                body.put("url", random.nextInt(5) == 0 ? values.pick(resolvedBlockedUrls) : receiver.url("/hook/" + n));
                if (random.nextBoolean()) {
                    body.put("eventTypes", List.of(values.pick(FILTERS)));
                }
                if (random.nextBoolean()) {
                    body.put("description", "fuzz " + n);
                }
                if (random.nextInt(4) == 0) {
                    body.put("headers", FuzzValues.map("X-Fuzz", String.valueOf(n)));
                }
                if (random.nextInt(4) == 0) {
                    body.put("secret", "fuzz-secret-" + n + "-abcdefgh");
                }
                if (random.nextInt(4) == 0) {
                    body.put("enabled", random.nextBoolean());
                }
                if (random.nextInt(4) == 0) {
                    body.put("maxInFlight", random.nextInt(8));
                }
                if (random.nextInt(4) == 0) {
                    body.put("rateLimit", random.nextInt(100));
                }
            }
            case EVENT -> {
                body.put("type", values.pick(VALID_TYPES));
                body.put("data", FuzzValues.map("n", n, "s", "x"));
                if (random.nextBoolean()) {
                    body.put("subject", "s-" + random.nextInt(20));
                }
                if (random.nextInt(3) == 0) {
                    body.put("idempotencyKey", "k-" + random.nextInt(50));
                }
            }
            case ROTATE -> {
                if (random.nextBoolean()) {
                    body.put("graceSeconds", random.nextInt(604_801));
                }
            }
            case SIGNED_URL -> {
                body.putAll(file());
                body.put("webhook", webhook(receiver.url("/hook/" + n)));
            }
            case BATCH -> {
                List<Object> files = new ArrayList<>();
                for (int i = 0; i <= random.nextInt(3); i++) {
                    files.add(file());
                }
                body.put("files", files);
                body.put("webhook", webhook(receiver.url("/hook/" + n)));
            }
            case CONFIRM -> {
                body.put("token", own(pools.ownTokens, Ids.UPLOAD));
                if (random.nextBoolean()) {
                    body.put("etag", "\"abc\"");
                }
            }
            case NOTIFICATION -> {
                body.put("bucket", "herald-demo");
                body.put("key", "uploads/fuzz-" + random.nextInt(20));
                if (random.nextBoolean()) {
                    body.put("size", random.nextInt(100));
                }
            }
        }
        return body;
    }

    private Map<String, Object> file() {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("filename", "f" + (++serial) + ".txt");
        file.put("contentType", "text/plain");
        if (random.nextBoolean()) {
            file.put("size", 1 + random.nextInt(1000));
        }
        if (random.nextInt(3) == 0) {
            file.put("trigger", values.pick(List.of("CLIENT_CONFIRM", "AUTO_DETECT", "BOTH", "client_confirm")));
        }
        if (random.nextInt(4) == 0) {
            // An hour or more: nothing a drill registers expires while it runs.
            file.put("expiresInSeconds", 3600 + random.nextInt(80_000));
        }
        if (random.nextInt(4) == 0) {
            file.put("metadata", FuzzValues.map("m", random.nextInt(10)));
        }
        return file;
    }

    private Map<String, Object> webhook(String url) {
        Map<String, Object> webhook = new LinkedHashMap<>();
        webhook.put("url", url);
        if (random.nextInt(3) == 0) {
            webhook.put("secret", "fuzz-webhook-secret-" + random.nextInt(1000));
        }
        if (random.nextInt(4) == 0) {
            webhook.put("metadata", FuzzValues.map("w", 1));
        }
        return webhook;
    }

    private List<Object> wrongValues(Kind kind) {
        return switch (kind) {
            case STRING, URL, ENDPOINT_ID, TOKEN -> List.of(1, 0, -1.5, true, false, List.of(), List.of("x"), FuzzValues.map(),
                    FuzzValues.map("a", "b"), new Raw("1e999"), new Raw("-0"));
            case INT -> List.of("1", "", true, 1.5, new Raw("1.0"), new Raw("1e2"), List.of(), FuzzValues.map(), new Raw("-0.0"),
                    new Raw("2147483648"), new Raw("-2147483649"), new Raw("9223372036854775808"),
                    new Raw("123456789012345678901234567890"));
            case LONG -> List.of("1", "", false, 2.5, new Raw("1.0"), new Raw("1E3"), List.of(1), FuzzValues.map(),
                    new Raw("9223372036854775808"), new Raw("-9223372036854775809"), new Raw("1e400"));
            case BOOL -> List.of("true", 1, 0, "false", List.of(), FuzzValues.map(), "yes");
            case STRINGS -> List.of("x", 1, FuzzValues.map(), List.of(1), List.of(true), List.of(List.of()), List.of(FuzzValues.map()),
                    Arrays.asList("x", null));
            case STRING_MAP -> List.of("x", 1, List.of(), FuzzValues.map("a", 1), FuzzValues.map("a", true), FuzzValues.map("a", FuzzValues.map()),
                    FuzzValues.map("a", List.of()), FuzzValues.map("a", "b", "n", null));
            case OBJECT -> List.of("x", 1, List.of(), List.of(FuzzValues.map()), true, "{}");
            case WEBHOOK -> List.of("x", 1, List.of(), true, FuzzValues.map("url", 1), FuzzValues.map("uri", "x"),
                    FuzzValues.map("url", receiver.url("/hook"), "secret", 5));
            case FILES -> List.of("x", 1, FuzzValues.map(), List.of(), List.of("x"), List.of(1), List.of(List.of()));
        };
    }

    // ---- helpers --------------------------------------------------------------------------------

    private FuzzCase body(String family, BodyRoute route, byte[] body, Expect expect) {
        String path = switch (route) {
            case ENDPOINT_CREATE -> "/v1/endpoints";
            case ENDPOINT_UPDATE -> "/v1/endpoints/" + own(pools.ownEndpoints, Ids.ENDPOINT);
            case EVENT -> "/v1/events";
            case ROTATE -> "/v1/endpoints/" + own(pools.ownEndpoints, Ids.ENDPOINT) + "/rotate-secret";
            case SIGNED_URL -> "/v1/uploads/signed-url";
            case BATCH -> "/v1/uploads/batch";
            case CONFIRM -> "/v1/webhooks/confirm";
            case NOTIFICATION -> "/v1/uploads/notifications";
        };
        return FuzzCase.of(family + " @" + route, route.method, path, body, expect);
    }

    /** One of the acting tenant's ids, or a well-formed one that does not exist when it has none yet. */
    private String own(List<String> pool, String prefix) {
        return pool.isEmpty() ? unknownIds.next(prefix) : values.pick(pool);
    }

}
