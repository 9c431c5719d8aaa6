package dev.herald.engine.model;

/** Why an attempt did not succeed, when it did not. */
public enum ErrorKind {
    /** The receiver answered, with a status other than 2xx. */
    HTTP_STATUS,
    /** The receiver answered with a redirect, which is never followed. */
    REDIRECT,
    /** No answer within the request timeout. */
    TIMEOUT,
    /** The connection was refused. */
    CONNECTION_REFUSED,
    /** The connection was reset or closed before an answer. */
    CONNECTION_RESET,
    /** The host name did not resolve. */
    DNS_FAILURE,
    /** The TLS handshake failed. */
    TLS,
    /** The URL policy refused the address the host resolved to. */
    BLOCKED_ADDRESS,
    /** The endpoint was deleted or disabled for good. */
    ENDPOINT_GONE,
    /** Anything else. */
    OTHER
}
