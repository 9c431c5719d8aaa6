package dev.herald.engine.spi;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items      the items, in the listing's order
 * @param nextCursor the cursor for the next page, or null on the last page
 */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
