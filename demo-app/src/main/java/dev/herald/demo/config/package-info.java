/**
 * The demo's configuration: {@link dev.herald.demo.config.HeraldProperties} binds {@code herald.*} from
 * {@code application.yml} and the environment; {@link dev.herald.demo.config.HeraldSettings} checks it and
 * turns it into engine settings, refusing bad values at start-up with the property's name.
 */
package dev.herald.demo.config;
