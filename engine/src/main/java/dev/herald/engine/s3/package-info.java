/**
 * Direct-to-storage uploads on S3 and S3-compatible stores: where the bucket lives and how to reach it
 * ({@link dev.herald.engine.s3.S3Storage}), presigned PUT URLs for clients
 * ({@link dev.herald.engine.s3.S3UploadSigner}), and the {@link dev.herald.engine.spi.ObjectVerifier} that
 * asks storage whether an object landed ({@link dev.herald.engine.s3.S3ObjectVerifier}).
 *
 * <p>This package needs the AWS SDK for Java v2 ({@code software.amazon.awssdk:s3}), which the engine
 * declares optional: a host that uses it adds the SDK to its own build. Nothing outside this package
 * touches the SDK, so a host without uploads never loads it.
 */
package dev.herald.engine.s3;
