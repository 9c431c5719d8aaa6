/**
 * Error responses: every failure leaves the server as {@code {"error": {"code", "message"}}} with the right
 * status, whether it comes from the engine ({@link dev.herald.engine.HeraldException}), from Micronaut
 * (malformed JSON, an unknown route, an oversized body) or from a bug (500, details logged only).
 */
package dev.herald.demo.error;
