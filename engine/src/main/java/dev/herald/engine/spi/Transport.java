package dev.herald.engine.spi;

import java.util.concurrent.CompletionStage;

/**
 * Sends one webhook request, asynchronously, so thousands can be in flight on few threads.
 * Never follows redirects. Thread-safe. The contract is {@code TransportContract} in the engine's test-jar.
 */
public interface Transport extends AutoCloseable {

    /** Sends the request; the stage always completes normally, with a failure as {@link TransportResult.Failed}. */
    CompletionStage<TransportResult> send(TransportRequest request);

    /** Releases connections and threads. Idempotent. */
    @Override
    default void close() {
    }
}
