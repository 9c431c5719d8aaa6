/**
 * Test helpers shared through the engine's test-jar with every module that tests against Herald's SPI:
 * a clock that tests move by hand, and the like. Not part of Herald's API.
 */
package dev.herald.engine.testing;
