/**
 * The JSON API under {@code /v1}: controllers for endpoints, events and deliveries, and the request and
 * response bodies. Every call is scoped to the tenant of its API key; secrets appear only in the answers
 * of endpoint creation and secret rotation.
 */
package dev.herald.demo.api;
