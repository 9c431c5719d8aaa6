package dev.herald.engine.spi;

/**
 * A store could not do what was asked (database down, full, constraint broken). Whatever the call was
 * writing is not stored. The message never holds a secret or a payload.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
