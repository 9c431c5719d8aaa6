/**
 * The Herald demo server: a Micronaut application exposing the engine over HTTP. Sub-packages hold the
 * configuration ({@code config}), the engine's wiring ({@code engine}), API keys ({@code auth}), the
 * controllers ({@code api}), error mapping ({@code error}) and health and metrics ({@code ops}).
 */
package dev.herald.demo;
