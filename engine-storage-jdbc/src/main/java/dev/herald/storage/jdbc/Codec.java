package dev.herald.storage.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.engine.model.EndpointSecret;
import dev.herald.engine.model.UploadTrigger;
import dev.herald.engine.spi.StoreException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Text forms of the collection-valued fields, one column each: secrets, filters and headers as JSON
 * (portable across both databases, readable in a SQL console), upload triggers as a comma list.
 * Written in a sorted, stable form so an unchanged value stores the same text. Thread-safe.
 */
final class Codec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Codec() {
    }

    /** Secrets, newest first, as {@code [{"value":…,"expiresAt":micros|null}]}. */
    static String secrets(List<EndpointSecret> secrets) {
        ArrayNode array = JSON.createArrayNode();
        for (EndpointSecret s : secrets) {
            ObjectNode node = array.addObject();
            node.put("value", s.value());
            if (s.expiresAt() == null) {
                node.putNull("expiresAt");
            } else {
                node.put("expiresAt", Jdbc.micros(s.expiresAt()));
            }
        }
        return write(array);
    }

    static List<EndpointSecret> secrets(String text) {
        List<EndpointSecret> out = new ArrayList<>();
        for (JsonNode node : read(text, "endpoint secrets")) {
            JsonNode expires = node.get("expiresAt");
            out.add(new EndpointSecret(node.get("value").asText(),
                    expires == null || expires.isNull() ? null : Jdbc.instant(expires.asLong())));
        }
        return out;
    }

    /** A set of strings as a sorted JSON array. */
    static String strings(Set<String> values) {
        ArrayNode array = JSON.createArrayNode();
        new TreeSet<>(values).forEach(array::add);
        return write(array);
    }

    static Set<String> strings(String text) {
        Set<String> out = new TreeSet<>();
        read(text, "event types").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Headers as a JSON object with sorted names. */
    static String headers(Map<String, String> headers) {
        ObjectNode node = JSON.createObjectNode();
        new TreeMap<>(headers).forEach(node::put);
        return write(node);
    }

    static Map<String, String> headers(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        read(text, "endpoint headers").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** Upload triggers as {@code AUTO_DETECT,CLIENT_CONFIRM}; empty for none. */
    static String triggers(Set<UploadTrigger> triggers) {
        EnumSet<UploadTrigger> sorted = EnumSet.noneOf(UploadTrigger.class);
        sorted.addAll(triggers);
        StringBuilder out = new StringBuilder();
        for (UploadTrigger t : sorted) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(t.name());
        }
        return out.toString();
    }

    static Set<UploadTrigger> triggers(String text) {
        EnumSet<UploadTrigger> out = EnumSet.noneOf(UploadTrigger.class);
        if (text != null && !text.isEmpty()) {
            for (String name : text.split(",")) {
                out.add(UploadTrigger.valueOf(name));
            }
        }
        return out;
    }

    private static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new StoreException("could not encode a field", e);
        }
    }

    private static JsonNode read(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // No cause: the parser's message quotes the text, which may hold a secret.
            throw new StoreException("stored " + what + " are not readable JSON");
        }
    }
}
