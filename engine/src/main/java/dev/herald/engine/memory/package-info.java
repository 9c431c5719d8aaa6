/**
 * In-process defaults: {@link dev.herald.engine.memory.InMemoryDeliveryStore} and
 * {@link dev.herald.engine.memory.InProcessDeliveryQueue}. Nothing here survives the process; they are for
 * tests, demos and hosts that accept losing pending webhooks on a crash.
 */
package dev.herald.engine.memory;
