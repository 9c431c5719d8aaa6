package dev.herald.demo.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * Endpoint URLs a tenant could use to make the server reach inside its network. {@link #refused} must be
 * refused when registered; {@link #resolvedBlocked} are names the URL policy can only judge by resolving
 * them, so they are accepted at registration and must be refused at every attempt, before any connection.
 */
final class SsrfTargets {
    private SsrfTargets() {
    }

    /** URLs refused at registration: loopback, private, link-local, metadata, odd number forms, local names, bad syntax. */
    static List<String> refused(int receiverPort) {
        String p = String.valueOf(receiverPort);
        List<String> urls = new ArrayList<>(List.of(
                // loopback, every spelling
                "http://127.0.0.1:" + p + "/hook", "http://127.0.0.1/", "https://127.0.0.1/", "http://127.0.0.1./",
                "http://127.255.255.254/", "http://localhost:" + p + "/hook", "http://LOCALHOST./",
                "http://receiver.localhost:" + p + "/", "http://0.0.0.0:" + p + "/", "http://0.0.0.0/",
                "http://[::1]:" + p + "/hook", "http://[::1]/", "http://[0:0:0:0:0:0:0:1]/", "http://[::]/",
                "http://[::ffff:127.0.0.1]:" + p + "/", "http://[::ffff:7f00:1]/", "http://[::127.0.0.1]/",
                "http://[::ffff:0:127.0.0.1]/",
                // IPv4 in decimal, hex, octal and short forms
                "http://2130706433/", "http://2130706433:" + p + "/", "http://0x7f000001/", "http://0x7F000001:" + p + "/",
                "http://0x7f.0.0.1/", "http://0x7f.0x0.0x0.0x1/", "http://0177.0.0.1/", "http://0177.0000.0000.0001/",
                "http://017700000001/", "http://127.000.000.001/", "http://127.1/", "http://127.1:" + p + "/",
                "http://127.0.1/", "http://0/", "http://0x0/", "http://167772161/", "http://0xa000001/", "http://012.0.0.1/",
                "http://10.1/", "http://2852039166/", "http://0xa9fea9fe/", "http://0251.0376.0251.0376/",
                "http://169.254.43518/", "http://3232235521/", "http://0xc0a80001/", "http://1.0x7f000001/",
                // private ranges
                "http://10.0.0.1/", "http://10.255.255.254:8080/admin", "http://172.16.0.1/", "http://172.31.255.254/",
                "http://192.168.0.1/", "http://192.168.255.254:" + p + "/", "http://100.64.0.1/", "http://[fc00::1]/",
                "http://[fd12:3456:789a::1]/", "http://[fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]/",
                // link-local and metadata
                "http://169.254.169.254/latest/meta-data/", "http://169.254.169.254:80/computeMetadata/v1/",
                "https://169.254.169.254/", "http://169.254.0.1/", "http://[fe80::1]/", "http://[fe80::1%25lo]/",
                "http://[::ffff:169.254.169.254]/", "http://[::ffff:a9fe:a9fe]/", "http://[64:ff9b::a9fe:a9fe]/",
                "http://[2002:a9fe:a9fe::1]/", "http://[fd00:ec2::254]/latest/meta-data/",
                "http://metadata.google.internal/computeMetadata/v1/", "http://instance-data.ec2.internal/",
                "http://router.home.arpa/", "http://printer.local/", "http://kubernetes.default.svc.cluster.local/",
                // multicast, broadcast, reserved, documentation
                "http://224.0.0.1/", "http://255.255.255.255/", "http://240.0.0.1/", "http://192.0.2.1/",
                "http://[ff02::1]/", "http://[2001:db8::1]/",
                // syntax tricks around the allowed receiver
                "http://user:pw@" + StubResolver.RECEIVER + ":" + p + "/hook",
                "http://" + StubResolver.RECEIVER + "@127.0.0.1:" + p + "/",
                "http://" + StubResolver.RECEIVER + ":" + p + "@10.0.0.1/",
                "http://" + StubResolver.RECEIVER + ":" + p + "/hook#frag",
                "http://127.0.0.1#@" + StubResolver.RECEIVER + ":" + p + "/",
                "http://" + StubResolver.RECEIVER + ":0/", "http://" + StubResolver.RECEIVER + ":65536/",
                "http://" + StubResolver.RECEIVER + ":99999999999/",
                "http://%31%32%37.0.0.1/", "http://127%2e0%2e0%2e1/", "http://127\u30020\u30020\u30021/",
                "http://\u2460\u2461\u2466.0.0.1/", "http://ｌｏｃａｌｈｏｓｔ/", "http://127.0.0.1\u0000.evil/",
                "http://[::1]:" + p + "@" + StubResolver.RECEIVER + "/", "http://[::1/", "http://[127.0.0.1]/",
                "http:/127.0.0.1/", "http:127.0.0.1/", "//127.0.0.1/", "127.0.0.1", "/v1/endpoints",
                "http://", "http://:" + p + "/", " http://127.0.0.1/", "http://127.0.0.1/ ",
                // other schemes
                "gopher://127.0.0.1:" + p + "/_POST%20/", "file:///etc/passwd", "dict://127.0.0.1:11211/",
                "ftp://10.0.0.1/", "jar:http://127.0.0.1!/", "ldap://127.0.0.1/", "ws://127.0.0.1/",
                "javascript:alert(1)", "data:text/plain,hi"));
        urls.add("http://" + StubResolver.RECEIVER + ":" + p + "/" + "a".repeat(2100));
        return urls;
    }

    /** URLs whose host only a lookup can judge: the stub resolves them to blocked addresses, or not at all. */
    static List<String> resolvedBlocked(List<String> blockedNames, int receiverPort) {
        List<String> urls = new ArrayList<>();
        for (String name : blockedNames) {
            urls.add("http://" + name + ":" + receiverPort + "/hook");
            urls.add("https://" + name + "/");
        }
        // The receiver's name on other ports, and names the stub does not know (no real lookup is made).
        urls.add("http://" + StubResolver.RECEIVER + "/hook");
        urls.add("http://" + StubResolver.RECEIVER + ":" + (receiverPort == 65535 ? 1 : receiverPort + 1) + "/hook");
        urls.add("http://" + StubResolver.RECEIVER.toUpperCase() + ".:" + (receiverPort == 1 ? 2 : receiverPort - 1) + "/");
        urls.add("https://hooks.example.com/herald");
        urls.add("http://169.254.169.254.nip.io/");
        urls.add("http://7f000001.nip.io:" + receiverPort + "/");
        urls.add("http://metadata/computeMetadata/v1/");
        urls.add("http://0x7f000001.drill.test/");
        return urls;
    }
}
