package dev.herald.demo.drill;

import dev.herald.demo.stack.EmbeddedPostgresServer;
import dev.herald.demo.stack.EmbeddedRedis;
import java.util.Map;

/**
 * The configurations the demo server is drilled on. The servers of {@link #POSTGRES_REDIS} run beside the
 * drill, not inside the server it kills, so they outlive every kill as a database and a Redis would.
 */
enum DrillStack {
    /** The default: the JDBC store on an H2 file in the data directory, the in-process queue. */
    H2_FILE {
        @Override
        Map<String, String> serverProperties() {
            return Map.of();
        }
    },
    /** Several instances' configuration: the JDBC store on PostgreSQL, the Redis queue. */
    POSTGRES_REDIS {
        @Override
        Map<String, String> serverProperties() {
            return Map.of(
                    "herald.store.jdbc.url", EmbeddedPostgresServer.newDatabaseUrl("kill_drill"),
                    "herald.store.jdbc.username", "postgres",
                    "herald.queue.kind", "redis",
                    "herald.queue.redis.url", EmbeddedRedis.launch().url(),
                    "herald.queue.redis.key-prefix", "kill-drill");
        }
    };

    /**
     * The server settings that choose this configuration; starts what it needs (a new database, a new
     * Redis), so call it once per drill.
     */
    abstract Map<String, String> serverProperties();
}
