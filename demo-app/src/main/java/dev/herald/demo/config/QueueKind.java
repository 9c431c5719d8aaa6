package dev.herald.demo.config;

import java.util.List;

/** Values of {@code herald.queue.kind}; each names one factory in {@code dev.herald.demo.engine}. */
public final class QueueKind {
    /** The engine's in-process queue, for one instance. */
    public static final String IN_PROCESS = "in-process";
    /** Redis Streams, from {@code engine-queue-redis}, for several instances. */
    public static final String REDIS = "redis";
    /** Every value accepted. */
    public static final List<String> ALL = List.of(IN_PROCESS, REDIS);

    private QueueKind() {
    }
}
