package dev.herald.queue.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Moves delayed entries that are due from the sorted set to the stream, atomically: an entry is in one of
 * the two, never in both and never in neither, even when several instances promote at once. Run by
 * pollers before they read, a bounded batch at a time so one call never blocks Redis for long.
 */
final class PromoteScript {

    /**
     * KEYS: delayed set, stream. ARGV: now (epoch ms), batch limit, stream max length, entry field.
     * Returns {moved, score of the earliest entry still delayed or ""}.
     */
    private static final String SOURCE = """
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
            for _, id in ipairs(due) do
              redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '*', ARGV[4], id)
            end
            if #due > 0 then
              redis.call('ZREM', KEYS[1], unpack(due))
            end
            local nextDue = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
            return {tostring(#due), nextDue[2] or ''}
            """;

    /** Most entries moved per call; well under Lua's limit on {@code unpack} arguments. */
    static final int BATCH = 1_000;

    private static final String SHA = sha1(SOURCE);

    private PromoteScript() {
    }

    /**
     * Promotes up to {@link #BATCH} entries due at {@code nowMillis}.
     *
     * @return epoch millis of the earliest entry still delayed, or -1 when none is
     */
    static long run(UnifiedJedis redis, RedisKeys keys, long nowMillis, long streamMaxLength) {
        List<String> keyArgs = List.of(keys.delayed(), keys.stream());
        List<String> args = List.of(Long.toString(nowMillis), Integer.toString(BATCH),
                Long.toString(streamMaxLength), RedisKeys.FIELD);
        Object reply;
        try {
            reply = redis.evalsha(SHA, keyArgs, args);
        } catch (JedisNoScriptException notCached) {
            // First use on this server, or the server restarted: EVAL caches the script for next time.
            reply = redis.eval(SOURCE, keyArgs, args);
        }
        List<?> values = (List<?>) reply;
        String next = String.valueOf(values.get(1));
        return next.isEmpty() ? -1 : (long) Double.parseDouble(next);
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("SHA-1 is required of every JVM", impossible);
        }
    }
}
