package dev.herald.demo.config;

import java.util.List;

/** Values of {@code herald.store.kind}; each names one factory in {@code dev.herald.demo.engine}. */
public final class StoreKind {
    /** The engine's in-memory store: nothing survives a restart. */
    public static final String MEMORY = "memory";
    /** The JDBC store (H2 file or PostgreSQL), from {@code engine-storage-jdbc}. */
    public static final String JDBC = "jdbc";
    /** Every value accepted. */
    public static final List<String> ALL = List.of(MEMORY, JDBC);

    private StoreKind() {
    }
}
