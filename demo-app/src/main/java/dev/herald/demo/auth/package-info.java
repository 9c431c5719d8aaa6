/**
 * API keys: each names a tenant, is stored as its SHA-256 in the demo's own {@code api_key} table, and is
 * checked on every {@code /v1} request by {@link dev.herald.demo.auth.ApiKeyFilter}.
 */
package dev.herald.demo.auth;
