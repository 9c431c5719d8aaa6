/**
 * Where uploads are stored: the configured S3, R2 or S3-compatible store, or, when none is configured, an
 * S3-compatible store started inside the server on {@code 127.0.0.1}.
 */
package dev.herald.demo.storage;
