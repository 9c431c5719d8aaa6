package dev.herald.queue.redis;

/**
 * Redis could not be reached, or refused a command, while offering entries. Nothing is lost by it: the
 * deliveries are in the store, and the engine's sweep of the store hands them out once Redis is back.
 * The message never holds a password or a payload.
 */
public class RedisQueueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An exception with a message and the underlying Redis client failure. */
    public RedisQueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
