package dev.herald.engine.upload;

import java.util.Objects;

/**
 * Engine wiring, not for hosts: the upload side of one engine, made by the engine when
 * {@code HeraldBuilder.uploads(UploadSettings)} was given. Hosts reach it as {@code Herald.uploads()}.
 * Thread-safe.
 */
public final class UploadEngine implements AutoCloseable {
    private final DefaultUploads uploads;
    private final UploadPoller poller;

    private UploadEngine(UploadHost host, UploadSettings settings) {
        this.uploads = new DefaultUploads(host, settings);
        this.poller = new UploadPoller(uploads, host, settings);
    }

    /**
     * The upload side of an engine.
     *
     * @throws NullPointerException if an argument is null
     */
    public static UploadEngine create(UploadHost host, UploadSettings settings) {
        return new UploadEngine(Objects.requireNonNull(host, "host"), Objects.requireNonNull(settings, "settings"));
    }

    /** The public face. */
    public Uploads uploads() {
        return uploads;
    }

    /** Starts the poller thread, named {@code name}. Idempotent. */
    public void start(String name) {
        poller.start(Objects.requireNonNull(name, "name"));
    }

    /** Stops the poller; HEADs in progress are interrupted and their uploads stay due. Idempotent. */
    @Override
    public void close() {
        poller.close();
    }
}
