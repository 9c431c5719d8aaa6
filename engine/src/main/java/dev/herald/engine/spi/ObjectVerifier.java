package dev.herald.engine.spi;

/**
 * Looks at an object in storage without reading it (an S3 {@code HeadObject}). Thread-safe.
 * The contract is {@code ObjectVerifierContract} in the engine's test-jar.
 */
public interface ObjectVerifier {

    /** What storage says about {@code bucket}/{@code key}; never throws for storage trouble. */
    ObjectHead head(String bucket, String key);
}
