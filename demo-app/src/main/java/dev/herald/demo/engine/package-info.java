/**
 * The engine's wiring: one factory per store kind and per queue kind, each enabled by
 * {@code herald.store.kind} or {@code herald.queue.kind}, and {@link dev.herald.demo.engine.HeraldFactory},
 * which builds and starts the {@link dev.herald.engine.Herald} from them, with the URL policy and the transport
 * as beans of their own (a test replaces them to run the engine on a stub resolver and a recording transport).
 * A new backend plugs in as one more factory class with its own
 * {@code @Requires(property = "herald.store.kind", value = "...")}.
 */
package dev.herald.demo.engine;
