/**
 * Herald's outgoing HTTP: {@link dev.herald.engine.http.UrlPolicy}, the guard that keeps webhook
 * requests away from loopback, private, link-local and metadata addresses (before and after DNS), and
 * {@link dev.herald.engine.http.JdkHttpTransport}, the zero-dependency
 * {@link dev.herald.engine.spi.Transport} on {@code java.net.http}. Everything public here is
 * thread-safe once built.
 */
package dev.herald.engine.http;
