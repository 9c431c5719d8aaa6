/**
 * Extension points: {@link dev.herald.engine.spi.DeliveryStore}, {@link dev.herald.engine.spi.DeliveryQueue},
 * {@link dev.herald.engine.spi.ObjectVerifier} and {@link dev.herald.engine.spi.Transport}, with the values
 * they exchange. Each interface has an abstract contract test in the engine's test-jar
 * ({@code *Contract}); an implementation, Herald's own or a host's, extends it and passes.
 */
package dev.herald.engine.spi;
