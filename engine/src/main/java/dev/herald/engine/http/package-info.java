/**
 * Herald's outgoing HTTP: {@link dev.herald.engine.http.UrlPolicy}, the guard that keeps webhook
 * requests away from loopback, private, link-local and metadata addresses (before and after DNS);
 * {@link dev.herald.engine.http.NettyTransport}, the engine's default
 * {@link dev.herald.engine.spi.Transport}, on Netty; and
 * {@link dev.herald.engine.http.JdkHttpTransport}, the zero-dependency one on {@code java.net.http}.
 * Everything public here is thread-safe once built.
 */
package dev.herald.engine.http;
