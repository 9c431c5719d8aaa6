/**
 * Herald's public face: {@link dev.herald.engine.Herald}, built with {@link dev.herald.engine.HeraldBuilder},
 * the requests it takes and the exceptions it throws. Values live in {@code model}, extension points in
 * {@code spi}, and everything else is an implementation detail of the sub-packages.
 */
package dev.herald.engine;
