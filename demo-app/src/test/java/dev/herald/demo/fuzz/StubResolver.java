package dev.herald.demo.fuzz;

import static dev.herald.engine.testing.Addresses.ipv4Mapped;

import dev.herald.engine.http.HostResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The drill's DNS: a fixed zone of names under {@code drill.test}, one of them the test receiver on
 * loopback, the others pointing into loopback, private, link-local, metadata and unique-local ranges. Any
 * other name does not resolve, so no lookup ever leaves the machine. Records every name asked. Thread-safe.
 */
final class StubResolver implements HostResolver {
    /** The name the test receiver is reachable under, and the only destination the drill's policy allows. */
    static final String RECEIVER = "receiver.drill.test";

    private final Map<String, List<InetAddress>> zone;
    private final ConcurrentLinkedQueue<String> lookups = new ConcurrentLinkedQueue<>();

    StubResolver() {
        try {
            Map<String, List<InetAddress>> z = new LinkedHashMap<>();
            z.put(RECEIVER, List.of(v4(127, 0, 0, 1)));
            z.put("loopback.drill.test", List.of(v4(127, 0, 0, 1)));
            z.put("loopback-other.drill.test", List.of(v4(127, 5, 6, 7)));
            z.put("loopback6.drill.test", List.of(InetAddress.getByName("::1")));
            z.put("zero.drill.test", List.of(v4(0, 0, 0, 0)));
            z.put("ten.drill.test", List.of(v4(10, 0, 0, 7)));
            z.put("private172.drill.test", List.of(v4(172, 20, 0, 1)));
            z.put("private192.drill.test", List.of(v4(192, 168, 0, 10)));
            z.put("cgnat.drill.test", List.of(v4(100, 64, 0, 1)));
            z.put("metadata.drill.test", List.of(v4(169, 254, 169, 254)));
            z.put("linklocal.drill.test", List.of(v4(169, 254, 1, 1)));
            z.put("ula.drill.test", List.of(InetAddress.getByName("fd00::1")));
            z.put("ula-fc.drill.test", List.of(InetAddress.getByName("fc00::1")));
            z.put("linklocal6.drill.test", List.of(InetAddress.getByName("fe80::1")));
            z.put("aws-metadata6.drill.test", List.of(InetAddress.getByName("fd00:ec2::254")));
            z.put("mapped.drill.test", List.of(ipv4Mapped(10, 0, 0, 1)));
            z.put("mapped-loopback.drill.test", List.of(ipv4Mapped(127, 0, 0, 1)));
            z.put("nat64-metadata.drill.test", List.of(InetAddress.getByName("64:ff9b::a9fe:a9fe")));
            z.put("mixed.drill.test", List.of(v4(192, 168, 1, 1), v4(10, 1, 1, 1)));
            // The receiver's own address among private ones: still refused, the name is not the allowed one.
            z.put("mixed-receiver.drill.test", List.of(v4(127, 0, 0, 1), v4(10, 9, 9, 9)));
            this.zone = Map.copyOf(z);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("literals always parse", e);
        }
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        lookups.add(host);
        List<InetAddress> addresses = zone.get(host);
        if (addresses == null) {
            throw new UnknownHostException("not in the drill's zone");
        }
        return addresses;
    }

    /** Names that resolve to blocked addresses: every one of the zone but the receiver's. */
    List<String> blockedNames() {
        return zone.keySet().stream().filter(name -> !name.equals(RECEIVER)).sorted().toList();
    }

    /** Every name asked so far, in order. */
    List<String> lookups() {
        return List.copyOf(lookups);
    }

    private static InetAddress v4(int a, int b, int c, int d) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }
}
