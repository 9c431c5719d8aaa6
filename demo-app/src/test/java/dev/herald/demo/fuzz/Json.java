package dev.herald.demo.fuzz;

import java.util.List;
import java.util.Map;

/**
 * Writes the drill's request bodies: maps, lists, strings, numbers, booleans, null and {@link Raw} text
 * taken as is. Unlike a JSON library it writes lone surrogates as {@code \\uXXXX} escapes, which is how
 * a client smuggles them in, and can escape every character when asked. Stateless.
 */
final class Json {
    /** JSON text inserted as written: numbers a library would normalise, broken fragments. */
    record Raw(String text) {
    }

    private Json() {
    }

    static String write(Object value) {
        return write(value, false);
    }

    /** With {@code escapeAll}, every non-ASCII character of strings is written as an escape. */
    static String write(Object value, boolean escapeAll) {
        StringBuilder out = new StringBuilder();
        append(out, value, escapeAll);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value, boolean escapeAll) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Raw raw) {
            out.append(raw.text());
        } else if (value instanceof String s) {
            string(out, s, escapeAll);
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, String.valueOf(e.getKey()), escapeAll);
                out.append(':');
                append(out, e.getValue(), escapeAll);
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                append(out, list.get(i), escapeAll);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("cannot write " + value.getClass());
        }
    }

    private static void string(StringBuilder out, String s, boolean escapeAll) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (c == '"') {
                out.append("\\\"");
            } else if (c == '\\') {
                out.append("\\\\");
            } else if (c < 0x20 || Character.isSurrogate(c) && !pair || escapeAll && c > 0x7e) {
                // A lone surrogate cannot travel as UTF-8: only an escape carries it.
                out.append(String.format("\\u%04x", (int) c));
                if (pair) {
                    out.append(String.format("\\u%04x", (int) s.charAt(++i)));
                }
            } else if (pair) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
