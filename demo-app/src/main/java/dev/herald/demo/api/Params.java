package dev.herald.demo.api;

import dev.herald.demo.error.BadRequestException;
import dev.herald.engine.ErrorCode;
import dev.herald.engine.HeraldException;
import dev.herald.engine.model.Ids;

/** Checks of path and query parameters shared by the controllers. Stateless. */
final class Params {
    /** Page size when {@code limit} is absent. */
    static final int DEFAULT_LIMIT = 50;
    /** Largest page size. */
    static final int MAX_LIMIT = 1000;

    private Params() {
    }

    /** The page size, {@link #DEFAULT_LIMIT} when absent. */
    static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be within [1, " + MAX_LIMIT + "]");
        }
        return limit;
    }

    /** A cursor: null, or an id of the listing's kind. */
    static String cursor(String cursor, String prefix) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        if (!Ids.isValid(prefix, cursor)) {
            throw new BadRequestException("cursor is not one this listing returned");
        }
        return cursor;
    }

    /** A filter id in a query: null, or a well-formed id with this prefix. */
    static String filterId(String name, String id, String prefix) {
        if (id == null || id.isEmpty()) {
            return null;
        }
        if (!Ids.isValid(prefix, id)) {
            throw new BadRequestException(name + " must be an id starting with " + prefix);
        }
        return id;
    }

    /**
     * A path id. A malformed one cannot exist, so it is answered as not found without asking the store.
     */
    static String pathId(String id, String prefix, ErrorCode notFound, String what) {
        if (!Ids.isValid(prefix, id)) {
            throw new HeraldException(notFound, "no " + what + " with this id");
        }
        return id;
    }
}
