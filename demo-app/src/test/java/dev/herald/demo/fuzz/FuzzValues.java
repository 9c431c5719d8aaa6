package dev.herald.demo.fuzz;

import dev.herald.demo.fuzz.Json.Raw;
import dev.herald.engine.model.Ids;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The drill's vocabulary of bad values: hostile strings, odd numbers, deep nesting, junk ids and query
 * values, percent-encoded bytes. Draws from the generator's {@link Random}, so one seed gives one sequence.
 * Not thread-safe.
 */
final class FuzzValues {
    /** Strings that break naive code: NUL, lone and swapped surrogates, bidi controls, line breaks, injections. */
    static final List<String> NASTY = List.of(
            "", " ", "\u0000", "a\u0000b", "\uD800", "\uDFFF", "x\uDC00\uD800y", "\uD83D", "\uD83D\uDE00",
            "\u202Egnp.exe\u202C", "\u200E\u200F\u200B\u200D\u2060", "\u061C\u2066\u2067\u2068\u2069", "\uFEFF",
            "e\u0301\u0301\u0301\u0301", "\r\n", "a\r\nX-Injected: 1", "\t", "\u0001\u001f\u007f\u0085\u00a0",
            "\u2028\u2029", "\uFFFD\uFFFE\uFFFF", "%00%0d%0a", "../../../../etc/passwd", "..\\..\\boot.ini",
            "<script>alert(1)</script>", "' OR '1'='1", "\"; DROP TABLE herald_events; --", "${jndi:ldap://127.0.0.1/a}",
            "{{7*7}}", "%s%s%n%x", "\uD83D\uDE00\uD83D\uDC4D\uD83C\uDFFD\uD83C\uDDFA\uD83C\uDDF3",
            "\uFF46\uFF55\uFF4C\uFF4C", "\u0130\u0131\u017F\u212A", "null", "NaN", "-0", "1e309", "true", "[]", "{}",
            "\\", "\\u0000", "\"", "/*", "ep_", "dlv_", "evt_", "wh_", "ep_../../x", "document.completed\u0000",
            "DOCUMENT.COMPLETED", "document..completed", "*", "**", ".*", "document.*.x");

    private final Random random;
    private final Ids unknownIds;

    /** @param unknownIds makes well-formed ids that no record has */
    FuzzValues(Random random, Ids unknownIds) {
        this.random = random;
        this.unknownIds = unknownIds;
    }

    List<Object> rangeValues() {
        return List.of(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
                new Raw("1e-400"), new Raw("0.000000000000000000000000000001"), new Raw("-0"), new Raw("1e18"),
                new Raw("12345678901234567890123456789012345678901234567890"));
    }

    Object deep(int depth, boolean objects) {
        Object value = "x";
        for (int i = 0; i < depth; i++) {
            value = objects ? map("a", value) : List.of(value);
        }
        return value;
    }

    String longString() {
        int length = pick(List.of(129, 257, 513, 1001, 1025, 2049, 4097, 8193, 16_385, 65_537, 300_000));
        String unit = random.nextBoolean() ? "a" : pick(NASTY.stream().filter(s -> !s.isEmpty()).toList());
        StringBuilder b = new StringBuilder(length + unit.length());
        while (b.length() < length) {
            b.append(unit);
        }
        return b.toString();
    }

    String randomUnicode(int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int roll = random.nextInt(6);
            int c = switch (roll) {
                case 0 -> random.nextInt(0x20);
                case 1 -> 0xD800 + random.nextInt(0x800);
                case 2 -> 0x202A + random.nextInt(5);
                case 3 -> 0x10000 + random.nextInt(0x10FFFF - 0x10000);
                case 4 -> 0xE000 + random.nextInt(0x1900);
                default -> random.nextInt(0x3000);
            };
            b.appendCodePoint(c);
        }
        return b.toString();
    }

    String junkId() {
        int roll = random.nextInt(8);
        return switch (roll) {
            case 0 -> unknownIds.next(pick(List.of(Ids.ENDPOINT, Ids.DELIVERY, Ids.EVENT, Ids.UPLOAD, Ids.ATTEMPT)));
            case 1 -> percent(pick(NASTY).getBytes(StandardCharsets.UTF_8));
            case 2 -> percent(pick(List.of(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF},
                    new byte[] {(byte) 0xFF}, new byte[] {0}, new byte[] {(byte) 0xE2, (byte) 0x80, (byte) 0xAE})));
            case 3 -> "ep_" + "0".repeat(random.nextInt(40));
            case 4 -> unknownIds.next(Ids.ENDPOINT).toLowerCase();
            case 5 -> "x".repeat(1 + random.nextInt(3000));
            case 6 -> pick(List.of("%2e%2e", "%2F", "..%2F..%2Fv1%2Fendpoints", "%20", "ep_%00", "%25", "%", "%zz",
                    "ep_01ARZ3NDEKTSV4RRFFQ69G5FAV%3Bx"));
            default -> percent(randomUnicode(1 + random.nextInt(30)).getBytes(StandardCharsets.UTF_8));
        };
    }

    String junkQueryValue(String param) {
        int roll = random.nextInt(6);
        return switch (roll) {
            case 0 -> pick(List.of("abc", "-1", "0", "1001", "1.5", "99999999999", "1e3", "0x10", "NaN", "5x", " 5"))
                    .replace(" ", "%20");
            case 1 -> percent(pick(NASTY.stream().filter(s -> !s.isEmpty()).toList()).getBytes(StandardCharsets.UTF_8));
            // Ids of a kind no parameter takes: upload tokens, batches, attempts.
            case 2 -> param.equals("status") ? pick(List.of("dead%00", "SUCCEEDED%20", "ALL", "in_flight_", "%C4%B0N_FLIGHT"))
                    : unknownIds.next(pick(List.of(Ids.ATTEMPT, Ids.UPLOAD, Ids.BATCH)));
            case 3 -> percent(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, (byte) 0xFF});
            case 4 -> "x".repeat(1 + random.nextInt(5000));
            default -> percent(randomUnicode(1 + random.nextInt(20)).getBytes(StandardCharsets.UTF_8));
        };
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    <T> T pick(T[] items) {
        return items[random.nextInt(items.length)];
    }

    static String percent(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append('%').append(String.format("%02X", x & 0xff));
        }
        return b.toString();
    }

    static byte[] replace(byte[] text, byte[] marker, byte[] with) {
        for (int i = 0; i + marker.length <= text.length; i++) {
            if (Arrays.equals(text, i, i + marker.length, marker, 0, marker.length)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(text, 0, i);
                out.writeBytes(with);
                out.write(text, i + marker.length, text.length - i - marker.length);
                return out.toByteArray();
            }
        }
        return text;
    }

    /** A map in the order given, nulls allowed: the same seed writes the same bytes. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            out.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }
}
