/**
 * The delivery loop: claiming due deliveries, per-endpoint guards, signing, sending, recording outcomes
 * in batches, retries and dead letters. Public types here are the engine's internals, reached through
 * {@link dev.herald.engine.Herald}; hosts do not name them. The design note is on
 * {@link dev.herald.engine.delivery.Dispatcher}.
 */
package dev.herald.engine.delivery;
