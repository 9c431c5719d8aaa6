package dev.herald.engine;

/**
 * Configures and builds a {@link Herald}. Being written: settings arrive with the delivery engine.
 */
public final class HeraldBuilder {
    HeraldBuilder() {
    }
}
