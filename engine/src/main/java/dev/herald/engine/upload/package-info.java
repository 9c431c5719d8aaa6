/**
 * Direct-to-storage uploads with a webhook when the file has landed. A host registers an upload
 * ({@link dev.herald.engine.upload.Uploads#register}) and hands the client the presigned URL; the engine
 * learns of completion from the client's confirm, from polling with HEAD on a backoff schedule, or from a
 * bucket notification the host passes on; it verifies the object (exists, size, content type, ETag) and
 * publishes exactly one {@code upload.completed} per object version to the upload's webhook, or
 * {@code upload.failed} / {@code upload.expired}.
 *
 * <p>Public here: {@link dev.herald.engine.upload.Uploads} and its values, {@link dev.herald.engine.upload.UploadSettings},
 * and {@link dev.herald.engine.upload.UploadUrlSigner}, the one thing a storage back end provides besides an
 * {@link dev.herald.engine.spi.ObjectVerifier}. {@link dev.herald.engine.upload.UploadHost} and
 * {@link dev.herald.engine.upload.UploadEngine} are engine wiring. This package never touches a storage SDK;
 * {@code dev.herald.engine.s3} adapts S3 and R2 to it.
 */
package dev.herald.engine.upload;
