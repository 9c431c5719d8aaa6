/**
 * Operations: Prometheus meters (delivery outcomes, attempt latency, queue depth, oldest due age, dead
 * letters) and {@code /health} components for the store and the queue.
 */
package dev.herald.demo.ops;
