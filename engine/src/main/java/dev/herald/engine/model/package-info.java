/**
 * Herald's values: events, endpoints, deliveries, attempts and uploads, with their life-cycle states
 * and prefixed, time-sortable ids. All are immutable records, safe to share between threads.
 */
package dev.herald.engine.model;
