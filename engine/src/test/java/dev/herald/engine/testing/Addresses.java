package dev.herald.engine.testing;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Addresses in the forms a resolver may hand over, for tests of the URL policy and its callers. */
public final class Addresses {
    private Addresses() {
    }

    /**
     * The IPv4 address {@code a.b.c.d} mapped into IPv6 ({@code ::ffff:a.b.c.d}) and kept as an
     * {@link Inet6Address}: {@link InetAddress#getByAddress(byte[])} would turn it back into IPv4, which a
     * resolver need not do.
     */
    public static InetAddress ipv4Mapped(int a, int b, int c, int d) throws UnknownHostException {
        byte[] bytes = new byte[16];
        bytes[10] = (byte) 0xff;
        bytes[11] = (byte) 0xff;
        bytes[12] = (byte) a;
        bytes[13] = (byte) b;
        bytes[14] = (byte) c;
        bytes[15] = (byte) d;
        return Inet6Address.getByAddress(null, bytes, -1);
    }
}
