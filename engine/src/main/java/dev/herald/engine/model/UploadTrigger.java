package dev.herald.engine.model;

/** How the engine learns that an upload landed. An upload may want both. */
public enum UploadTrigger {
    /** The client calls confirm with the webhook token. */
    CLIENT_CONFIRM,
    /** The engine polls the object with HEAD, or takes a bucket notification from the host. */
    AUTO_DETECT
}
