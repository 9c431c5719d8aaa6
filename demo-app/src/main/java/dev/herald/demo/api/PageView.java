package dev.herald.demo.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * One page of a listing, newest first.
 *
 * @param data       the items
 * @param nextCursor pass as {@code cursor} to get the next page; null on the last page
 */
@Serdeable
public record PageView<T>(List<T> data, @Nullable String nextCursor) {
}
