package dev.herald.engine.http;

import dev.herald.engine.ErrorCode;
import dev.herald.engine.HeraldException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Which endpoint URLs Herald may send to: the guard against server-side request forgery. A webhook URL
 * comes from a tenant, so without it a tenant could make Herald post to the host's own admin port, a
 * database on the private network or the cloud metadata service ({@code 169.254.169.254}).
 *
 * <p>A URL is checked twice: {@link #check} when an endpoint is registered (syntax only, no DNS), and
 * {@link #resolveAllowed} before every attempt, which resolves the host and refuses it when any of its
 * addresses is blocked, so a name that later points somewhere private is caught too.
 *
 * <p>{@link #strict()}, the default, allows {@code https} only and blocks every loopback, unspecified,
 * private, shared (CGNAT), link-local, unique-local, multicast, broadcast, benchmarking, documentation
 * and reserved address, in IPv4 and IPv6, including IPv4 addresses hidden in IPv6 forms (mapped,
 * compatible, NAT64, 6to4). Whatever the policy, URLs with credentials, fragments, no host, a bad port,
 * or a host written as an ambiguous number ({@code 2130706433}, {@code 0x7f000001}, {@code 0177.0.0.1},
 * {@code 127.1}) are refused, since resolvers disagree on what such numbers mean.
 *
 * <p>{@link Builder#allowDestination} exempts exact host and port pairs from the address rules, so one known
 * receiver on a private network (or a test receiver on loopback) can be reached while every other
 * destination stays under the strict rules.
 *
 * <p>Messages of the exceptions thrown never repeat the URL (its query may hold a token) nor the
 * addresses a name resolved to (that would let a tenant map the private network).
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class UrlPolicy {

    /** The longest URL accepted, in characters. */
    public static final int MAX_URL_LENGTH = 2048;

    private static final HostResolver SYSTEM_RESOLVER = HostResolver.system();
    private static final UrlPolicy STRICT = builder().build();
    private static final UrlPolicy PERMISSIVE = builder().allowHttp(true).allowPrivateNetworks(true).build();

    /** Names that can only ever point inside a network: RFC 6761, RFC 6762 (mDNS), RFC 8375, ICANN's private-use TLD. */
    private static final List<String> LOCAL_SUFFIXES = List.of(".localhost", ".local", ".internal", ".home.arpa");

    private final boolean allowHttp;
    private final boolean allowPrivateNetworks;
    private final HostResolver resolver;
    private final List<Destination> allowedDestinations;

    private UrlPolicy(Builder builder) {
        this.allowHttp = builder.allowHttp;
        this.allowPrivateNetworks = builder.allowPrivateNetworks;
        this.resolver = builder.resolver;
        this.allowedDestinations = List.copyOf(builder.allowedDestinations);
    }

    /** A builder starting from the strict defaults: https only, private networks blocked, system DNS. */
    public static Builder builder() {
        return new Builder();
    }

    /** The default policy: https only, no loopback, private, link-local, metadata or other special address. */
    public static UrlPolicy strict() {
        return STRICT;
    }

    /**
     * <strong>For tests and local development only.</strong> Allows plain {@code http} and every address,
     * loopback and private networks included, so anyone who can register an endpoint can make Herald
     * post into the network it runs in. Never use it where tenants are not fully trusted. Syntax rules
     * (no credentials, no fragment, no ambiguous numeric host) still apply.
     */
    public static UrlPolicy permissive() {
        return PERMISSIVE;
    }

    /** Whether plain {@code http} URLs are accepted; false by default. */
    public boolean allowsHttp() {
        return allowHttp;
    }

    /** Whether loopback, private and other special addresses are accepted; false by default. */
    public boolean allowsPrivateNetworks() {
        return allowPrivateNetworks;
    }

    /**
     * The destinations exempt from the address rules ({@link Builder#allowDestination}), each as
     * {@code host:port} ({@code [address]:port} for IPv6), in the order given; empty by default.
     */
    public Set<String> allowedDestinations() {
        Set<String> out = new LinkedHashSet<>();
        for (Destination destination : allowedDestinations) {
            out.add(destination.toString());
        }
        return Collections.unmodifiableSet(out);
    }

    /**
     * Checks a URL's syntax and, for IP literals and reserved names, its host, without any DNS lookup.
     * Meant for registration time.
     *
     * @param url the endpoint URL as given
     * @return the parsed URL
     * @throws NullPointerException if {@code url} is null
     * @throws HeraldException      with {@link ErrorCode#INVALID_URL} when the URL is malformed, too long, not
     *                              absolute, of another scheme, holds credentials or a fragment, or has an
     *                              ambiguous numeric host; with {@link ErrorCode#BLOCKED_URL} when its host is a
     *                              blocked IP literal or a local name such as {@code localhost}
     */
    public URI check(String url) {
        Objects.requireNonNull(url, "url");
        if (url.length() > MAX_URL_LENGTH) {
            throw invalid("URL is longer than " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            // The parser's own message repeats the URL, which may carry a token: keep it out.
            throw invalid("URL is malformed");
        }
        checkSyntax(uri);
        return uri;
    }

    /**
     * Checks a URL as {@link #check} does, then resolves its host with this policy's {@link HostResolver}
     * and refuses it when any address is blocked. Meant for every attempt. May block on DNS.
     *
     * <p>An IP literal is returned as is, without a lookup. Under a policy that allows private networks
     * the host is still resolved, so a name that does not resolve fails here the same way. The addresses of
     * an {@linkplain Builder#allowDestination allowed destination} are returned unchecked.
     *
     * @param url the endpoint URL
     * @return the addresses the host resolves to, not empty
     * @throws NullPointerException if {@code url} is null
     * @throws UnknownHostException when the host does not resolve
     * @throws HeraldException      as {@link #check} does, and with {@link ErrorCode#BLOCKED_URL} when any
     *                              resolved address is blocked
     */
    public List<InetAddress> resolveAllowed(URI url) throws UnknownHostException {
        Objects.requireNonNull(url, "url");
        if (url.toString().length() > MAX_URL_LENGTH) {
            throw invalid("URL is longer than " + MAX_URL_LENGTH + " characters");
        }
        Host host = checkSyntax(url);
        if (host.literal() != null) {
            return List.of(host.literal());
        }
        List<InetAddress> addresses = resolver.resolve(host.name());
        if (addresses == null || addresses.isEmpty()) {
            throw new UnknownHostException("no address for host");
        }
        if (!allowPrivateNetworks && !host.exempt()) {
            // Any, not all: the HTTP client may pick whichever address it likes.
            for (InetAddress address : addresses) {
                if (isBlockedAddress(address)) {
                    throw blocked("URL host resolves to a blocked address (loopback, private, link-local, metadata or reserved)");
                }
            }
        }
        return List.copyOf(addresses);
    }

    /**
     * Whether an address is one that strict policies block: loopback ({@code 127/8}, {@code ::1}),
     * unspecified ({@code 0/8}, {@code ::}), private ({@code 10/8}, {@code 172.16/12}, {@code 192.168/16}),
     * shared {@code 100.64/10}, link-local ({@code 169.254/16} with the metadata address, {@code fe80::/10}),
     * site-local {@code fec0::/10}, unique-local {@code fc00::/7}, multicast, {@code 192.0.0/24},
     * benchmarking {@code 198.18/15}, documentation ranges, reserved {@code 240/4} with the broadcast
     * address, discard-only {@code 100::/64}, local-use NAT64 {@code 64:ff9b:1::/48}; and any IPv6 address
     * that embeds a blocked IPv4 address (mapped, compatible, translated, NAT64 {@code 64:ff9b::/96},
     * 6to4 {@code 2002::/16}). A pure function.
     *
     * @throws NullPointerException if {@code address} is null
     */
    public static boolean isBlockedAddress(InetAddress address) {
        Objects.requireNonNull(address, "address");
        byte[] b = address.getAddress();
        return b.length == 4 ? isBlockedIpv4(b, 0) : isBlockedIpv6(b);
    }

    @Override
    public String toString() {
        return "UrlPolicy[allowHttp=" + allowHttp + ", allowPrivateNetworks=" + allowPrivateNetworks
                + (allowedDestinations.isEmpty() ? "" : ", allowedDestinations=" + allowedDestinations) + "]";
    }

    // ---- syntax --------------------------------------------------------------------------------

    /**
     * A checked host: its normalised name, the address when the name is an IP literal, and whether it is an
     * allowed destination.
     */
    private record Host(String name, InetAddress literal, boolean exempt) {
    }

    /** A host and port exempt from the address rules; {@code literal} set when the host is an IP address. */
    private record Destination(String name, InetAddress literal, int port) {
        boolean matches(String otherName, InetAddress otherLiteral, int otherPort) {
            if (port != otherPort) {
                return false;
            }
            // Literals compare as addresses, so [::1] and [0:0:0:0:0:0:0:1] are one destination.
            return literal != null ? literal.equals(otherLiteral) : otherLiteral == null && name.equals(otherName);
        }

        @Override
        public String toString() {
            return (name.indexOf(':') >= 0 ? "[" + name + "]" : name) + ":" + port;
        }
    }

    private Host checkSyntax(URI uri) {
        if (!uri.isAbsolute() || uri.isOpaque()) {
            throw invalid("URL must be absolute, like https://example.com/webhooks");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw invalid(allowHttp ? "URL scheme must be https or http" : "URL scheme must be https");
        }
        if (scheme.equals("http") && !allowHttp) {
            throw invalid("only https URLs are allowed");
        }
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw invalid("URL has no host");
        }
        // Checked on the raw authority: when the host is not a valid name, URI reports no user info at all.
        if (authority.indexOf('@') >= 0) {
            throw invalid("URL must not carry credentials");
        }
        if (uri.getRawFragment() != null) {
            throw invalid("URL must not have a fragment");
        }
        String rawHost = uri.getHost();
        if (rawHost == null) {
            // URI gives no host for forms it cannot read as a name or an address, 127.1 among them.
            if (isNumericHost(normalise(hostOfAuthority(authority)))) {
                throw ambiguousNumber();
            }
            throw invalid("URL has no valid host name (write internationalised names in punycode)");
        }
        int port = uri.getPort();
        if (port == 0 || port > 65535) {
            throw invalid("URL port must be within [1, 65535]");
        }
        boolean bracketed = rawHost.startsWith("[");
        String name = normalise(bracketed ? rawHost.substring(1, rawHost.length() - 1) : rawHost);
        if (name.isEmpty()) {
            throw invalid("URL has no host");
        }
        InetAddress literal = null;
        if (bracketed) {
            literal = parseIpv6(name);
        } else if (isNumericHost(name)) {
            literal = parseCanonicalIpv4(name);
        }
        boolean exempt = isAllowedDestination(name, literal, effectivePort(scheme, port));
        if (!allowPrivateNetworks && !exempt) {
            if (literal != null && isBlockedAddress(literal)) {
                throw blocked("URL points at a blocked address (loopback, private, link-local, metadata or reserved)");
            }
            if (literal == null && isLocalName(name)) {
                throw blocked("URL host is a local or internal name");
            }
        }
        return new Host(name, literal, exempt);
    }

    private boolean isAllowedDestination(String name, InetAddress literal, int port) {
        for (Destination destination : allowedDestinations) {
            if (destination.matches(name, literal, port)) {
                return true;
            }
        }
        return false;
    }

    private static int effectivePort(String scheme, int port) {
        if (port != -1) {
            return port;
        }
        return scheme.equals("https") ? 443 : 80;
    }

    private static String hostOfAuthority(String authority) {
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close < 0 ? authority : authority.substring(1, close);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    /** Lower case, without the one trailing dot a fully qualified name may carry. */
    private static String normalise(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /**
     * Whether a host reads as an IPv4 address to a URL parser: its last label is a decimal or hex number
     * (WHATWG URL rules). No top-level domain is numeric, so no real name is caught.
     */
    static boolean isNumericHost(String host) {
        String last = host.substring(host.lastIndexOf('.') + 1);
        if (last.isEmpty()) {
            return false;
        }
        if (last.startsWith("0x")) {
            return last.chars().skip(2).allMatch(c -> Character.digit(c, 16) >= 0);
        }
        return last.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Four decimal parts, 0 to 255, without leading zeros; anything else is ambiguous. */
    private static InetAddress parseCanonicalIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            throw ambiguousNumber();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
                    || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw ambiguousNumber();
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                throw ambiguousNumber();
            }
            bytes[i] = (byte) value;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static InetAddress parseIpv6(String literal) {
        if (literal.indexOf('%') >= 0) {
            // A zone names one of this machine's interfaces: never meaningful for a webhook.
            throw invalid("URL must not carry an IPv6 zone");
        }
        if (literal.indexOf(':') < 0) {
            throw invalid("URL has a malformed IPv6 address");
        }
        try {
            // A literal with a colon is parsed, never looked up.
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw invalid("URL has a malformed IPv6 address");
        }
    }

    private static boolean isLocalName(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        for (String suffix : LOCAL_SUFFIXES) {
            if (host.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    // ---- addresses -----------------------------------------------------------------------------

    private static boolean isBlockedIpv4(byte[] b, int offset) {
        int a = b[offset] & 0xff;
        int c = b[offset + 1] & 0xff;
        int d = b[offset + 2] & 0xff;
        return a == 0                                  // "this network", 0.0.0.0 included
                || a == 10                             // private
                || a == 127                            // loopback
                || (a == 100 && (c & 0xc0) == 64)      // shared address space (CGNAT) 100.64/10
                || (a == 169 && c == 254)              // link-local, cloud metadata 169.254.169.254
                || (a == 172 && (c & 0xf0) == 16)      // private 172.16/12
                || (a == 192 && c == 0 && d == 0)      // IETF protocol assignments 192.0.0/24
                || (a == 192 && c == 0 && d == 2)      // documentation TEST-NET-1
                || (a == 192 && c == 168)              // private
                || (a == 198 && (c & 0xfe) == 18)      // benchmarking 198.18/15
                || (a == 198 && c == 51 && d == 100)   // documentation TEST-NET-2
                || (a == 203 && c == 0 && d == 113)    // documentation TEST-NET-3
                || a >= 224;                           // multicast 224/4, reserved 240/4, broadcast
    }

    private static boolean isBlockedIpv6(byte[] b) {
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (zeros(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return isBlockedIpv4(b, 12);               // IPv4-mapped ::ffff:a.b.c.d
        }
        if (zeros(b, 0, 12)) {
            return isBlockedIpv4(b, 12);               // IPv4-compatible ::a.b.c.d; :: and ::1 land in 0/8
        }
        if (zeros(b, 0, 8) && (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && zeros(b, 10, 12)) {
            return isBlockedIpv4(b, 12);               // IPv4-translated ::ffff:0:a.b.c.d
        }
        if (b0 == 0x00 && b1 == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            if (zeros(b, 4, 12)) {
                return isBlockedIpv4(b, 12);           // NAT64 well-known prefix 64:ff9b::/96
            }
            return b[4] == 0 && b[5] == 1;             // local-use NAT64 64:ff9b:1::/48
        }
        if (b0 == 0x20 && b1 == 0x02) {
            return isBlockedIpv4(b, 2);                // 6to4 2002:a.b.c.d::/48
        }
        return b0 == 0xff                              // multicast ff00::/8
                || (b0 == 0xfe && (b1 & 0xc0) == 0x80) // link-local fe80::/10
                || (b0 == 0xfe && (b1 & 0xc0) == 0xc0) // site-local fec0::/10 (deprecated, still routed inside)
                || (b0 & 0xfe) == 0xfc                 // unique-local fc00::/7, AWS metadata fd00:ec2::254
                || (b0 == 0x20 && b1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) // documentation
                || (b0 == 0x01 && b1 == 0x00 && zeros(b, 2, 8)); // discard-only 100::/64
    }

    private static boolean zeros(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static HeraldException invalid(String message) {
        return new HeraldException(ErrorCode.INVALID_URL, message);
    }

    private static HeraldException ambiguousNumber() {
        return invalid("URL host is an ambiguous number; write IPv4 addresses as four decimal parts, like 93.184.216.34");
    }

    private static HeraldException blocked(String message) {
        return new HeraldException(ErrorCode.BLOCKED_URL, message);
    }

    /**
     * Builds a {@link UrlPolicy}. Starts from the strict defaults; reusable, not thread-safe.
     */
    public static final class Builder {
        private boolean allowHttp;
        private boolean allowPrivateNetworks;
        private HostResolver resolver = SYSTEM_RESOLVER;
        private final List<Destination> allowedDestinations = new ArrayList<>();

        private Builder() {
        }

        /** Whether plain {@code http} URLs are accepted as well as {@code https}. Default false. */
        public Builder allowHttp(boolean allow) {
            this.allowHttp = allow;
            return this;
        }

        /**
         * Whether loopback, private, link-local and other special addresses are accepted. Default false.
         * Turn it on only for tests and local development: see {@link UrlPolicy#permissive()}.
         */
        public Builder allowPrivateNetworks(boolean allow) {
            this.allowPrivateNetworks = allow;
            return this;
        }

        /**
         * How {@link UrlPolicy#resolveAllowed} resolves names. Default {@link HostResolver#system()}.
         *
         * @throws NullPointerException if {@code resolver} is null
         */
        public Builder resolver(HostResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * Exempts one destination from the address rules: a URL whose host is exactly {@code host} and whose
         * port (written, or the scheme's default) is {@code port} is accepted even when the host is a local
         * name or a blocked address, or resolves to one; its addresses are then used unchecked, so trust the
         * DNS of a name given here. Every other host and port, the same host on another port included, is
         * checked as before, and the other rules (scheme, credentials, fragment, ambiguous numbers) apply to
         * this destination too. Each call adds one; none by default. For one known receiver inside the
         * network, or a test receiver on loopback, without {@link #allowPrivateNetworks}.
         *
         * @param host a host name ({@code hooks.internal}) or an IP address ({@code 10.0.0.5}, {@code ::1},
         *             {@code [::1]}); compared case-insensitively, IP addresses as addresses
         * @param port the port, within [1, 65535]
         * @throws NullPointerException     if {@code host} is null
         * @throws IllegalArgumentException if {@code host} is not a valid host name or IP address (ambiguous
         *                                  numeric forms such as {@code 127.1} included), or {@code port} is
         *                                  out of range
         */
        public Builder allowDestination(String host, int port) {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be within [1, 65535], was " + port);
            }
            String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            boolean ipv6 = bare.indexOf(':') >= 0;
            Host parsed;
            try {
                // Read the way URLs are read, so the comparison at check time sees the same normalised host.
                URI uri = new URI("http://" + (ipv6 ? "[" + bare + "]" : bare) + ":" + port + "/");
                parsed = PERMISSIVE.checkSyntax(uri);
                if (uri.getPort() != port || !"/".equals(uri.getRawPath()) || uri.getRawQuery() != null) {
                    // Something in the host ('/', '?', ':') moved the rest of it into another part.
                    throw new URISyntaxException(host, "not a bare host");
                }
            } catch (URISyntaxException | HeraldException e) {
                throw new IllegalArgumentException("host must be a host name or an IP address, was '" + host + "'");
            }
            allowedDestinations.add(new Destination(parsed.name(), parsed.literal(), port));
            return this;
        }

        /** A new policy with the settings given so far. */
        public UrlPolicy build() {
            return new UrlPolicy(this);
        }
    }
}
