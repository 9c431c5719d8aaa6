package dev.herald.queue.redis;

/**
 * Names of the Redis keys of one Herald installation. Both keys share the hash tag {@code {prefix}}, so
 * they live in one slot and the promotion script may touch both on a Redis Cluster too.
 *
 * @param stream  the stream of due entries, read by the consumer group
 * @param delayed the sorted set of entries not yet due, scored by due time in epoch milliseconds
 */
record RedisKeys(String stream, String delayed) {

    /** The stream entry field holding the delivery id. */
    static final String FIELD = "id";

    static RedisKeys forPrefix(String prefix) {
        return new RedisKeys("{" + prefix + "}:ready", "{" + prefix + "}:delayed");
    }
}
