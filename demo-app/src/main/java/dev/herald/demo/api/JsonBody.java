package dev.herald.demo.api;

import dev.herald.demo.error.BadRequestException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strict reading of a JSON request body: it must be one JSON object (nothing after it, no key twice), hold
 * no field outside the allowed ones, and each field must have exactly its JSON type (no string read as a
 * number or a boolean). A field that is absent or {@code null} reads as null. Every refusal is a
 * {@link BadRequestException} naming the field. Not thread-safe; one per request.
 */
final class JsonBody {
    // Exact decimals, so event data reaches receivers with its numbers as written (1.10 stays 1.10).
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final JsonNode node;

    private JsonBody(JsonNode node) {
        this.node = node;
    }

    /**
     * The body, checked to be an object with only {@code allowed} fields.
     *
     * @throws BadRequestException when it is not an object or has another field
     */
    static JsonBody of(String text, Set<String> allowed) {
        JsonNode body;
        try {
            body = text == null || text.isBlank() ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            // The parser's message quotes the input: keep it out of the answer.
            throw new BadRequestException("the request body is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw new BadRequestException("the request body must be a JSON object");
        }
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!allowed.contains(field.getKey())) {
                throw new BadRequestException("unknown field: " + printable(field.getKey()));
            }
        }
        return new JsonBody(body);
    }

    String string(String name) {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(name, "a string");
        }
        return value.textValue();
    }

    Boolean bool(String name) {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw wrongType(name, "true or false");
        }
        return value.booleanValue();
    }

    Integer integer(String name) {
        Long value = whole(name);
        if (value == null) {
            return null;
        }
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new BadRequestException(name + " is out of range");
        }
        return value.intValue();
    }

    Long whole(String name) {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw wrongType(name, "a whole number");
        }
        if (!value.canConvertToLong()) {
            throw new BadRequestException(name + " is out of range");
        }
        return value.longValue();
    }

    List<String> strings(String name) {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw wrongType(name, "an array of strings");
        }
        List<String> out = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw wrongType(name, "an array of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }

    Map<String, String> stringMap(String name) {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        if (!value.isObject()) {
            throw wrongType(name, "an object of string values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (!entry.getValue().isTextual()) {
                throw wrongType(name, "an object of string values");
            }
            out.put(entry.getKey(), entry.getValue().textValue());
        }
        return out;
    }

    /**
     * A nested object, checked like the body: only {@code allowed} fields; null when absent or {@code null}.
     *
     * @throws BadRequestException when it is not an object or has another field
     */
    JsonBody object(String name, Set<String> allowed) {
        JsonNode value = value(name);
        return value == null ? null : nested(value, name, allowed);
    }

    /**
     * An array of objects, each checked like the body; null when absent or {@code null}.
     *
     * @throws BadRequestException when it is not an array of such objects
     */
    List<JsonBody> objects(String name, Set<String> allowed) {
        JsonNode value = value(name);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw wrongType(name, "an array of objects");
        }
        List<JsonBody> out = new ArrayList<>(value.size());
        int i = 0;
        for (JsonNode item : value) {
            out.add(nested(item, name + "[" + i++ + "]", allowed));
        }
        return out;
    }

    private static JsonBody nested(JsonNode value, String name, Set<String> allowed) {
        if (!value.isObject()) {
            throw wrongType(name, "an object");
        }
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            if (!allowed.contains(field.getKey())) {
                throw new BadRequestException("unknown field: " + name + "." + printable(field.getKey()));
            }
        }
        return new JsonBody(value);
    }

    /** Any JSON value, as parsed; null when absent or {@code null}. */
    JsonNode any(String name) {
        return value(name);
    }

    private JsonNode value(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    private static BadRequestException wrongType(String name, String expected) {
        return new BadRequestException(name + " must be " + expected);
    }

    /** A field name fit to echo: short, printable ASCII. */
    private static String printable(String name) {
        String cut = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
