/**
 * Retry decisions, as pure functions with no I/O: {@link dev.herald.engine.retry.ResponseClassifier} says
 * whether an attempt succeeded, should be retried, failed for good or found the endpoint gone;
 * {@link dev.herald.engine.retry.RetryPolicy} says how long to wait before the next attempt, or that
 * attempts are exhausted. The delivery loop applies them and keeps the result in the store
 * ({@code next_attempt_at}), so a retry survives a restart.
 */
package dev.herald.engine.retry;
