/**
 * Webhook signatures, both sides of the wire.
 *
 * <p>{@link dev.herald.engine.signing.WebhookSigner} adds both signature schemes to every request:
 * Standard Webhooks ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature: v1,...}) and
 * the compatible {@code X-Webhook-Signature: sha256=...}. {@link dev.herald.engine.signing.WebhookVerifier}
 * is the receiver's half: it checks either scheme on the raw body, in constant time.
 * {@link dev.herald.engine.signing.SigningKey} turns a secret ({@code whsec_<base64>} or any other string)
 * into the key bytes both schemes share.
 */
package dev.herald.engine.signing;
