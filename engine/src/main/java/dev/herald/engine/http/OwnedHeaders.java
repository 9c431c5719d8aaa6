package dev.herald.engine.http;

import java.util.Locale;
import java.util.Set;

/**
 * Headers a transport writes itself and never takes from a request: they decide the message's framing,
 * its target or the connection's life, so a request carrying one could smuggle a second request or
 * reach another host. Both transports refuse such a request before anything is sent.
 */
final class OwnedHeaders {
    private static final Set<String> NAMES = Set.of("host", "connection", "content-length",
            "transfer-encoding", "expect", "upgrade", "te", "trailer", "keep-alive", "proxy-connection");

    private OwnedHeaders() {
    }

    /**
     * @throws IllegalArgumentException if {@code name} is one of them; the message does not repeat the
     *                                  name, since a tenant may have typed anything there
     */
    static void refuse(String name) {
        if (NAMES.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("restricted header");
        }
    }
}
