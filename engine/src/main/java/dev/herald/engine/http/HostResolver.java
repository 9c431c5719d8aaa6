package dev.herald.engine.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into the addresses a connection could go to, for {@link UrlPolicy#resolveAllowed}.
 * The default, {@link #system()}, asks the JVM's resolver; tests pass a stub so that no lookup leaves the
 * machine. Implementations must be thread-safe and may block.
 */
@FunctionalInterface
public interface HostResolver {

    /**
     * Every address {@code host} resolves to.
     *
     * @param host a host name, never an IP literal and never null
     * @return the addresses, not empty
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolve(String host) throws UnknownHostException;

    /** The JVM's resolver ({@link InetAddress#getAllByName}), with its cache. */
    static HostResolver system() {
        return host -> List.of(InetAddress.getAllByName(host));
    }
}
