package dev.herald.engine;

import java.util.Set;
import java.util.regex.Pattern;

/** Event type rules and the engine's own types. */
final class EventTypes {
    static final String UPLOAD_COMPLETED = "upload.completed";
    static final String TEST = "herald.test";
    static final String DELIVERY_DEAD = "delivery.dead";
    static final String ENDPOINT_DISABLED = "endpoint.disabled";

    /** Types the engine itself publishes; always accepted. */
    static final Set<String> BUILT_IN = Set.of(UPLOAD_COMPLETED, "upload.failed", "upload.expired",
            "batch.completed", TEST, DELIVERY_DEAD, ENDPOINT_DISABLED);

    private static final Pattern TYPE = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final int MAX_LENGTH = 128;

    private EventTypes() {
    }

    static boolean isWellFormed(String type) {
        return type.length() <= MAX_LENGTH && TYPE.matcher(type).matches();
    }

    /** A filter entry: {@code *}, an exact type, or {@code prefix.*}. */
    static boolean isWellFormedFilter(String filter) {
        if (filter.equals("*")) {
            return true;
        }
        if (filter.endsWith(".*")) {
            return isWellFormed(filter.substring(0, filter.length() - 2));
        }
        return isWellFormed(filter);
    }
}
