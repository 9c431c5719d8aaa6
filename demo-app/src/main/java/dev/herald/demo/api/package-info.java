/**
 * The JSON API under {@code /v1}: controllers for endpoints, events, deliveries and uploads, and the request
 * and response bodies. Every call is scoped to the tenant of its API key; secrets appear only in the answers
 * of endpoint creation, secret rotation and the registration of an upload whose webhook secret was generated.
 */
package dev.herald.demo.api;
